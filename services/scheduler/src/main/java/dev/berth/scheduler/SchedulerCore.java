package dev.berth.scheduler;

import dev.berth.bus.Cause;
import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.ServiceLoop.BatchEnd;
import dev.berth.bus.ServiceLoop.Received;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodUnschedulable;
import dev.berth.scheduler.core.Processors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler as the {@link ServiceLoop} runs it: each record is applied to the {@link Processors},
 * then each batch is one scheduling cycle and one {@link dev.berth.bus.contract.SchedulingStep}
 * (what replay re-runs); the periodic {@link Resync} retries pending pods; a cycle that stopped at its
 * limit asks for a {@link Continue}. For throughput the scheduling state is a mutable object, one per
 * service: every {@link Decision} carries this same core as its state.
 *
 * <p>Causes are the core's own state too: a pending pod remembers what created it, a bound pod that
 * is deleted or lost what ended it, so a placement answers its pod's creation and a release its
 * deletion or loss, whichever cycle decided them.
 */
final class SchedulerCore implements ServiceLoop.Core<SchedulerCore> {
    /** The topics the scheduler reads. */
    static final List<Topic> INPUTS = List.of(Topic.PODS, Topic.POD_STATUS, Topic.NODES, Topic.NODE_HEARTBEATS);

    /** The periodic retry of pending pods. */
    record Resync() {}

    /** The previous cycle stopped at its limit: go on. */
    record Continue() {}

    private final Processors core;
    private final StepRecorder steps;
    /** Pending pods' creations: a placement names its pod's creation as cause, whatever retried it. */
    private final Map<String, Cause> creations = new HashMap<>();
    /** Deletions and losses of bound pods whose release is not decided yet: the release names them as cause. */
    private final Map<String, Cause> endings = new HashMap<>();

    SchedulerCore(Processors core, StepRecorder steps, Map<String, Envelope> rebuiltCreations) {
        this.core = core;
        this.steps = steps;
        rebuiltCreations.forEach((pod, env) -> creations.put(pod, Cause.of(env)));
    }

    Processors processors() { return core; }

    @Override
    public Decision<SchedulerCore> onRecord(SchedulerCore self, Received in) {
        rememberCause(in.envelope());
        core.apply(in.payload(), in.envelope().time(), in.now());
        return Decision.unchanged(this);
    }

    /** Every batch is a step, even one that decided nothing: replay then applies inputs at the same moments. */
    @Override
    public Decision<SchedulerCore> afterBatch(SchedulerCore self, BatchEnd batch) {
        for (RawRecord r : batch.records()) steps.applied(r); // set-aside records too: replay skips them the same way
        return record(core.cycle(batch.now()), batch.now(), StepRecorder.BATCH);
    }

    @Override
    public Decision<SchedulerCore> onInput(SchedulerCore self, Object input, Instant now) {
        if (input instanceof Resync) {
            List<Outbound> decided = core.resync(now);
            return core.lastCycleWorked() ? record(decided, now, StepRecorder.TIMER) : Decision.unchanged(this);
        }
        if (input instanceof Continue) {
            if (!core.hasMoreToTry(now)) return Decision.unchanged(this);
            List<Outbound> decided = core.cycle(now);
            return core.lastCycleWorked() ? record(decided, now, StepRecorder.CONTINUE) : Decision.unchanged(this);
        }
        throw new IllegalArgumentException("not a scheduler input: " + input);
    }

    /** A cycle's decisions, each naming its cause, then its step; a cycle that stopped at its limit asks to go on. */
    private Decision<SchedulerCore> record(List<Outbound> decided, Instant now, String trigger) {
        List<Outbound> out = new ArrayList<>(decided.size() + 1);
        for (Outbound o : decided) out.add(o.causedBy(causeOf(o.payload())));
        out.add(steps.step(now, trigger, decided));
        Decision<SchedulerCore> d = Decision.of(this, out);
        return core.hasMoreToTry(now) ? d.withFollowUp(new Continue()) : d;
    }

    /** Keeps what a later decision descends from: a pod's creation, its deletion or loss. */
    private void rememberCause(Envelope env) {
        Payload p = env.data();
        if (p instanceof PodCreated c && !core.state().isKnown(c.pod())) creations.put(c.pod(), Cause.of(env));
        String ended = p instanceof PodDeletionRequested d ? d.pod() : p instanceof PodLost l ? l.pod() : null;
        if (ended == null) return;
        creations.remove(ended);
        if (core.state().binding(ended) != null) endings.put(ended, Cause.of(env));
    }

    private Cause causeOf(Payload p) {
        if (p instanceof PodPlaced placed) return creations.remove(placed.pod());
        if (p instanceof PodUnschedulable u) return creations.get(u.pod());
        if (p instanceof PodReleased r) return endings.remove(r.pod());
        return null;
    }
}
