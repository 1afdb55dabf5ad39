package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.Probe;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's side of {@link Readiness}: which running containers are probed, what the shell is asked to
 * probe (where, on which port), and the status a ready change publishes. Pure.
 */
public final class Probes {
    private Probes() {}

    /** Where a probe goes without a host and without a pod IP (in-memory networking): the node itself. */
    public static final String LOOPBACK = "127.0.0.1";

    /**
     * Probe {@code pod}'s run {@code restarts} now; report a {@link NodeAgentCore.ProbeResult} (a timeout or any
     * error is a failure). {@code port} is the resolved number for httpGet/tcpSocket ({@code 0}: a named port the
     * container does not declare, which fails), unused for exec.
     */
    public record RunProbe(String pod, int restarts, Probe probe, String host, int port) {
        /** This probe on the node's loopback unless the probe names its own host: pod IPs that route nowhere (in memory). */
        public RunProbe viaLoopback() {
            boolean hosted = probe.httpGet() != null ? probe.httpGet().host() != null : probe.tcpSocket() != null && probe.tcpSocket().host() != null;
            return hosted ? this : new RunProbe(pod, restarts, probe, LOOPBACK, port);
        }
    }

    /** (Re)set the one probe timer; {@code at} null: no probe due. Submit {@link NodeAgentCore.ProbeDue} when it fires. */
    public record ProbeAt(Instant at) {}

    /** The pod's readiness probe while it is placed here; null: none. */
    static Probe probeOf(NodeState s, String pod) {
        PodPlaced p = s.desired().get(pod);
        return p == null ? null : p.template().readinessProbe();
    }

    /**
     * What a status of {@code pod} in {@code state} says of readiness: null for a pod without a probe;
     * otherwise true only while it runs and passes its probe (before the first success: false).
     */
    static Boolean readyOf(NodeState s, String pod, ContainerState state) {
        Boolean probed = s.readiness().ready(pod);
        if (probed == null && probeOf(s, pod) == null) return null;
        return state == ContainerState.Running && Boolean.TRUE.equals(probed);
    }

    /**
     * Probing follows the containers: a running container with a probe is probed from its start (a new run,
     * after a restart, from scratch); one that stopped, ended or is no longer placed here is not.
     */
    static NodeState sync(NodeState s, Instant now) {
        Readiness r = s.readiness();
        for (String pod : r.pods().keySet()) {
            PodRuntime run = s.actual().get(pod);
            Readiness.Probing p = r.pods().get(pod);
            if (run == null || run.state() != ContainerState.Running || run.restarts() != p.restarts() || probeOf(s, pod) == null) {
                r = r.stopped(pod);
            }
        }
        for (PodRuntime run : s.actual().values()) {
            if (run.state() != ContainerState.Running || r.pods().containsKey(run.pod())) continue;
            Probe probe = probeOf(s, run.pod());
            if (probe != null) r = r.started(run.pod(), probe, run.restarts(), run.startedAt() != null ? run.startedAt() : now);
        }
        return s.withReadiness(r);
    }

    /** The probe timer fired: every due probe starts; the timer is set for the next one. */
    static Decision<NodeState> due(NodeState s, Instant now) {
        Readiness r = s.readiness();
        List<Object> effects = new ArrayList<>();
        for (String pod : r.due(now)) {
            Readiness.Probing p = r.pods().get(pod);
            effects.add(runProbe(s, pod, p));
            r = r.probing(pod, now);
        }
        effects.add(new ProbeAt(r.nextDue().orElse(null)));
        return new Decision<>(s.withReadiness(r), List.of(), effects, null);
    }

    /** A probe's outcome: a ready change is published (and remembered for the re-report); the timer follows. */
    static Decision<NodeState> result(NodeState s, String pod, int restarts, boolean success) {
        Readiness before = s.readiness();
        Readiness after = before.result(pod, restarts, success);
        if (after == before) return Decision.unchanged(s);
        NodeState next = s.withReadiness(after);
        List<Object> effects = List.of(new ProbeAt(after.nextDue().orElse(null)));
        PodStatusChanged last = s.reported().get(pod);
        Boolean ready = after.ready(pod);
        if (last == null || ready.equals(last.ready())) return new Decision<>(next, List.of(), effects, null);
        Outbound changed = PodStatus.of(last.withReady(ready));
        return Decisions.remembered(new Decision<>(next, List.of(changed), effects, null));
    }

    private static RunProbe runProbe(NodeState s, String pod, Readiness.Probing p) {
        Probe probe = p.probe();
        PodPlaced placed = s.desired().get(pod);
        List<ContainerPort> ports = placed == null ? List.of() : placed.template().ports();
        String ip = s.network().podIPs().get(pod);
        String host = ip != null ? ip : LOOPBACK;
        int port = 0;
        if (probe.httpGet() != null) {
            if (probe.httpGet().host() != null) host = probe.httpGet().host();
            port = port(probe.httpGet().port(), probe.httpGet().portName(), ports);
        } else if (probe.tcpSocket() != null) {
            if (probe.tcpSocket().host() != null) host = probe.tcpSocket().host();
            port = port(probe.tcpSocket().port(), probe.tcpSocket().portName(), ports);
        }
        return new RunProbe(pod, p.restarts(), probe, host, port);
    }

    /** A probe's port: its number, or the container port of that name (0: none such, the probe fails). */
    static int port(int number, String name, List<ContainerPort> ports) {
        if (name == null) return number;
        for (ContainerPort cp : ports) if (name.equals(cp.name())) return cp.containerPort();
        return 0;
    }
}
