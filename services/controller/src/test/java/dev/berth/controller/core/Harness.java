package dev.berth.controller.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Outbound;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives the core the way the shell does (commands, reconcile, node reports) and records every
 * event the controller would read back from the log, so tests can rebuild from it.
 */
final class Harness {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    /** Heartbeats count up, as an agent's do: a repeated sequence number is no news to the controller. */
    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    ControllerState state = ControllerState.empty();
    Instant now = T0;
    /** What berth.deployments, berth.pods, berth.command-results, berth.pod-status and heartbeats would hold. */
    final List<Envelope> log = new ArrayList<>();

    static Harness withImages(String... images) {
        Harness h = new Harness();
        h.heartbeat("node-1", images);
        return h;
    }

    Harness heartbeat(String node, String... images) {
        read(heartbeatOf(node, images));
        return this;
    }

    /** A heartbeat sent at exactly {@code at} (the clock moves there). */
    Harness heartbeatAt(Instant at, String node) {
        readAt(at, heartbeatOf(node, "busybox"));
        return this;
    }

    static NodeHeartbeat heartbeatOf(String node, String... images) {
        NodeResources res = new NodeResources(4000, 8192 * Samples.MI, 110);
        return new NodeHeartbeat(node, res, res, List.of(images), List.of(), SEQUENCE.incrementAndGet(), T0);
    }

    /** The scheduler bound {@code pod} to {@code node}. */
    Harness placed(String pod, String node) {
        PodRecord p = state.pods().get(pod);
        read(new PodPlaced(pod, node, p.deployment(), p.template(), 1, null, null));
        return this;
    }

    Harness status(String pod, ContainerState containerState) {
        read(new PodStatusChanged(pod, "node-1", containerState, null, null, null, 0));
        return this;
    }

    /** An input event from another service: applied and logged. */
    void read(Event event) {
        tick();
        readAt(now, event);
    }

    /** An input event that happened at exactly {@code at}. */
    void readAt(Instant at, Event event) {
        now = at;
        Envelope env = Envelope.spontaneous(event, "node-agent/node-1", now);
        log.add(env);
        state = EventAppliers.apply(state, event, now);
    }

    /** A node-lifecycle tick at exactly {@code at}. */
    List<Event> checkNodes(Instant at, NodeTimeouts timeouts) {
        now = at;
        return record(NodeLifecycle.check(state, now, timeouts));
    }

    /** Processes a command; returns the events it produced (not counting the reconcile). */
    List<Event> command(Command command) { return command(Envelope.command(command, "test", now)); }

    List<Event> command(Envelope envelope) {
        tick();
        return record(CommandProcessors.process(state, envelope, now));
    }

    List<Event> reconcile() {
        tick();
        return record(Reconciler.reconcile(state, now));
    }

    CommandAccepted accepted(Command command) {
        List<Event> events = command(command);
        Event last = events.get(events.size() - 1);
        if (!(last instanceof CommandAccepted a)) throw new AssertionError("expected acceptance, got " + last);
        return a;
    }

    CommandRejected rejected(Command command) {
        List<Event> events = command(command);
        if (events.size() != 1 || !(events.get(0) instanceof CommandRejected r)) throw new AssertionError("expected one rejection, got " + events);
        return r;
    }

    List<PodRecord> live(String deployment) { return state.livePodsOf(deployment); }

    private List<Event> record(Decision<ControllerState> step) {
        state = step.state();
        List<Event> events = new ArrayList<>();
        for (Outbound out : step.outputs()) {
            Event e = (Event) out.payload();
            events.add(e);
            log.add(out.envelope("controller", now));
        }
        return events;
    }

    private void tick() { now = now.plus(Duration.ofMillis(10)); }

    static List<PodCreated> created(List<Event> events) {
        return events.stream().filter(PodCreated.class::isInstance).map(PodCreated.class::cast).toList();
    }

    /** The events but for deployment statuses: what the reconciler did to pods. */
    static List<Event> podEvents(List<Event> events) {
        return events.stream().filter(e -> !(e instanceof dev.berth.bus.contract.DeploymentStatusChanged)).toList();
    }

    static List<PodDeletionRequested> deletions(List<Event> events) {
        return events.stream().filter(PodDeletionRequested.class::isInstance).map(PodDeletionRequested.class::cast).toList();
    }
}
