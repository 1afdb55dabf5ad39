package dev.berth.autoscaler.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.HpaCondition;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.ScaleDeployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * The autoscaler's service-loop core. Pure: records fold into the state ({@link Fold}) and mark the autoscalers they
 * concern; after each batch those are evaluated ({@link Evaluation}), and on each {@link Tick} all of them (windows
 * expire without new samples). An evaluation that wants another size sends one ScaleDeployment — the command a user's
 * {@code berth scale} sends, with the reason — and no other until the controller's DeploymentScaled shows it landed
 * (or {@link Settings#scaleTimeout} passed); its status goes to berth.autoscaler-status when it changed.
 */
public final class AutoscalerCore implements ServiceLoop.Core<AutoscalerState> {
    /**
     * @param tolerance               no change while current/target is within 1 ± this (Kubernetes: 0.1)
     * @param sampleMaxAge            a pod's resource sample or request rate older than this is missing
     * @param scaleTimeout            how long a ScaleDeployment may go unanswered before the next may be sent
     * @param statusInterval          a status that differs only in its metric values is published at most this often
     * @param cpuInitializationPeriod Kubernetes' --horizontal-pod-autoscaler-cpu-initialization-period (5 min)
     * @param initialReadinessDelay   Kubernetes' --horizontal-pod-autoscaler-initial-readiness-delay (30 s)
     */
    public record Settings(double tolerance, Duration sampleMaxAge, Duration scaleTimeout, Duration statusInterval,
                           Duration cpuInitializationPeriod, Duration initialReadinessDelay) {
        public static Settings defaults() {
            return new Settings(ReplicaCalculator.DEFAULT_TOLERANCE, Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(5),
                    Duration.ofMinutes(5), Duration.ofSeconds(30));
        }
    }

    /** The periodic evaluation of every autoscaler. */
    public record Tick() {}

    private final Settings settings;
    private final Samples samples;

    public AutoscalerCore(Settings settings) {
        this.settings = settings;
        this.samples = new Samples(settings);
    }

    @Override
    public Decision<AutoscalerState> onRecord(AutoscalerState state, ServiceLoop.Received input) {
        return Decision.unchanged(Fold.apply(state, input.envelope()));
    }

    @Override
    public Decision<AutoscalerState> afterBatch(AutoscalerState state, ServiceLoop.BatchEnd batch) {
        if (state.dirty().isEmpty()) return Decision.unchanged(state);
        return evaluate(state.withDirty(HashTreePSet.empty()), new TreeSet<>(state.dirty()), batch.now());
    }

    @Override
    public Decision<AutoscalerState> onInput(AutoscalerState state, Object input, Instant now) {
        if (!(input instanceof Tick)) return Decision.unchanged(state);
        return evaluate(samples.prune(state, now).withDirty(HashTreePSet.empty()), new TreeSet<>(state.autoscalers().keySet()), now);
    }

    /** Evaluates {@code keys} in order, each on the state the previous left. */
    public Decision<AutoscalerState> evaluate(AutoscalerState state, Iterable<String> keys, Instant now) {
        List<Outbound> out = new ArrayList<>();
        AutoscalerState s = state;
        for (String key : keys) {
            HorizontalPodAutoscalerSpec spec = s.autoscalers().get(key);
            if (spec == null) continue;
            s = evaluateOne(s, spec, now, out);
        }
        return Decision.of(s, out);
    }

    private AutoscalerState evaluateOne(AutoscalerState s, HorizontalPodAutoscalerSpec spec, Instant now, List<Outbound> out) {
        Tracking t = s.trackingOf(spec.key());
        Pending pending = t.pending();
        if (pending != null && !now.isBefore(pending.since().plus(settings.scaleTimeout()))) pending = null;
        Target target = s.deployments().get(spec.targetKey());
        List<List<PodSample>> perMetric = new ArrayList<>();
        for (MetricSpec m : spec.metrics()) perMetric.add(samples.of(s, m, spec.targetKey(), now));
        List<ScaleEvent> up = Behaviors.prune(t.upEvents(), spec.behavior().scaleUp(), now);
        List<ScaleEvent> down = Behaviors.prune(t.downEvents(), spec.behavior().scaleDown(), now);
        Evaluation.Result r = Evaluation.evaluate(new Evaluation.Input(spec, target == null ? null : target.replicas(), perMetric,
                t.recommendations(), up, down, now, settings.tolerance()));

        List<HpaCondition> set = new ArrayList<>(r.conditions());
        Instant lastScaleTime = t.lastStatus() == null ? null : t.lastStatus().lastScaleTime();
        String lastScaleReason = t.lastScaleReason();
        if (r.rescale() && pending == null && target != null) {
            String reason = r.decision() + (target.setOutside() != null
                    ? " (replicas were set to " + target.setOutside() + " outside the autoscaler)" : "");
            ScaleDeployment command = new ScaleDeployment(spec.scaleTargetRef().name(), r.desiredReplicas(), spec.namespace(), cut(reason));
            out.add(new Outbound(Topic.COMMANDS, command.target(), command));
            pending = new Pending(r.desiredReplicas(), now);
            lastScaleTime = now;
            lastScaleReason = command.reason();
            replace(set, Evaluation.condition(HpaCondition.ABLE_TO_SCALE, Evaluation.TRUE, "SucceededRescale",
                    "the HPA controller was able to update the target scale to " + r.desiredReplicas()));
        } else if (r.rescale() && pending != null && t.lastStatus() != null) {
            // Waiting for the last scale to land: AbleToScale still says what that scale did.
            for (HpaCondition c : t.lastStatus().conditions()) if (c.type().equals(HpaCondition.ABLE_TO_SCALE)) replace(set, c);
        }
        List<HpaCondition> conditions = merge(t.lastStatus() == null ? List.of() : t.lastStatus().conditions(), set, now);
        HorizontalPodAutoscalerStatus status = new HorizontalPodAutoscalerStatus(spec.namespace(), spec.name(), now, r.currentReplicas(),
                r.desiredReplicas(), r.currentMetrics(), conditions, lastScaleTime, cut(lastScaleReason != null ? lastScaleReason : r.decision()));
        Tracking next = new Tracking(r.recommendations(), up, down, pending, t.lastStatus(), t.lastPublished(), lastScaleReason);
        if (worthPublishing(t, status, now)) {
            out.add(new Outbound(Topic.AUTOSCALER_STATUS, spec.key(), status));
            next = next.published(status);
        }
        PMap<String, Tracking> tracking = s.tracking().plus(spec.key(), next);
        return s.withTracking(tracking);
    }

    /** Published when replicas, conditions or the last scale changed; a change of metric values alone at most every statusInterval. */
    private boolean worthPublishing(Tracking t, HorizontalPodAutoscalerStatus now, Instant at) {
        HorizontalPodAutoscalerStatus last = t.lastStatus();
        if (last == null) return true;
        boolean significant = last.currentReplicas() != now.currentReplicas() || last.desiredReplicas() != now.desiredReplicas()
                || !Objects.equals(last.lastScaleTime(), now.lastScaleTime()) || !sameConditions(last.conditions(), now.conditions());
        if (significant) return true;
        boolean changed = !last.currentMetrics().equals(now.currentMetrics()) || !Objects.equals(last.reason(), now.reason());
        return changed && (t.lastPublished() == null || !at.isBefore(t.lastPublished().plus(settings.statusInterval())));
    }

    private static boolean sameConditions(List<HpaCondition> a, List<HpaCondition> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            HpaCondition x = a.get(i), y = b.get(i);
            if (!x.type().equals(y.type()) || !x.status().equals(y.status()) || !Objects.equals(x.reason(), y.reason())
                    || !Objects.equals(x.message(), y.message())) return false;
        }
        return true;
    }

    /** Kubernetes' setCondition: the conditions set now replace those of their type; a status that stays keeps its transition time. */
    static List<HpaCondition> merge(List<HpaCondition> previous, List<HpaCondition> set, Instant now) {
        List<HpaCondition> out = new ArrayList<>(3);
        for (String type : List.of(HpaCondition.ABLE_TO_SCALE, HpaCondition.SCALING_ACTIVE, HpaCondition.SCALING_LIMITED)) {
            HpaCondition before = find(previous, type), c = find(set, type);
            if (c == null) {
                if (before != null) out.add(before);
                continue;
            }
            Instant since = before != null && before.status().equals(c.status()) && before.lastTransitionTime() != null ? before.lastTransitionTime() : now;
            out.add(new HpaCondition(type, c.status(), c.reason(), cut(c.message()), since));
        }
        return out;
    }

    private static HpaCondition find(List<HpaCondition> conditions, String type) {
        for (HpaCondition c : conditions) if (c.type().equals(type)) return c;
        return null;
    }

    private static void replace(List<HpaCondition> conditions, HpaCondition c) {
        conditions.removeIf(x -> x.type().equals(c.type()));
        conditions.add(c);
    }

    /** Reasons and messages stay within the contract's bound for free text. */
    private static String cut(String text) {
        int max = dev.berth.bus.Limits.TEXT_MAX_LENGTH;
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The autoscaler keys an evaluation covers: for tests. */
    static PSet<String> all(AutoscalerState s) { return HashTreePSet.from(s.autoscalers().keySet()); }
}
