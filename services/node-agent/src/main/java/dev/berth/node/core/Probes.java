package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.PodUnhealthy;
import dev.berth.bus.contract.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The node's probing, as the kubelet's prober manager, pure: which running containers are probed by which probe,
 * what the shell is asked to probe (where, on which port), and what a result changes. A startup probe holds the
 * others back until it first succeeds; readiness decides whether the pod gets traffic (a ready change is a status);
 * a liveness or startup probe that fails {@code failureThreshold} times in a row has the container killed, and its
 * restart policy decides what follows. Every failure counts towards a PodUnhealthy event, sent at most every
 * {@link #UNHEALTHY_REPORT_INTERVAL} per container and probe, so a flapping probe cannot flood the log.
 */
public final class Probes {
    private Probes() {}

    /** Where a probe goes without a host and without a pod IP (in-memory networking): the node itself. */
    public static final String LOOPBACK = "127.0.0.1";

    /** A failing probe is reported at once, then at most this often with its count (the kubelet's events aggregate so too). */
    public static final Duration UNHEALTHY_REPORT_INTERVAL = Duration.ofSeconds(10);

    /**
     * Probe {@code pod}'s run {@code restarts} now with its {@code kind} probe (PodUnhealthy's Readiness, Liveness,
     * Startup); report a {@link NodeAgentCore.ProbeResult} (a timeout or any error is a failure). {@code port} is the
     * resolved number for httpGet/tcpSocket ({@code 0}: a named port the container does not declare, which fails),
     * unused for exec.
     */
    public record RunProbe(String pod, int restarts, Probe probe, String host, int port, String kind) {
        /** A readiness probe. */
        public RunProbe(String pod, int restarts, Probe probe, String host, int port) {
            this(pod, restarts, probe, host, port, PodUnhealthy.READINESS);
        }

        /** This probe on the node's loopback unless the probe names its own host: pod IPs that route nowhere (in memory). */
        public RunProbe viaLoopback() {
            boolean hosted = probe.httpGet() != null ? probe.httpGet().host() != null : probe.tcpSocket() != null && probe.tcpSocket().host() != null;
            return hosted ? this : new RunProbe(pod, restarts, probe, LOOPBACK, port, kind);
        }
    }

    /** (Re)set the one probe timer; {@code at} null: no probe due. Submit {@link NodeAgentCore.ProbeDue} when it fires. */
    public record ProbeAt(Instant at) {}

    /** The pod's readiness probe while it is placed here; null: none. */
    static Probe probeOf(NodeState s, String pod) {
        return probeOf(s, pod, PodUnhealthy.READINESS);
    }

    /** The pod's probe of {@code kind} while it is placed here; null: none. */
    static Probe probeOf(NodeState s, String pod, String kind) {
        dev.berth.bus.contract.Container t = s.containerOf(pod);
        if (t == null) return null;
        return switch (kind) {
            case PodUnhealthy.LIVENESS -> t.livenessProbe();
            case PodUnhealthy.STARTUP -> t.startupProbe();
            default -> t.readinessProbe();
        };
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

    /** The probing of one kind, from the state. */
    private static Readiness of(NodeState s, String kind) {
        return switch (kind) {
            case PodUnhealthy.LIVENESS -> s.health().liveness();
            case PodUnhealthy.STARTUP -> s.health().startup();
            default -> s.readiness();
        };
    }

    private static NodeState with(NodeState s, String kind, Readiness r) {
        return switch (kind) {
            case PodUnhealthy.LIVENESS -> s.withHealth(s.health().withLiveness(r));
            case PodUnhealthy.STARTUP -> s.withHealth(s.health().withStartup(r));
            default -> s.withReadiness(r);
        };
    }

    private static final List<String> KINDS = List.of(PodUnhealthy.STARTUP, PodUnhealthy.LIVENESS, PodUnhealthy.READINESS);

    /**
     * Probing follows the containers: a running container is probed from its start (a new run, after a restart, from
     * scratch), by its startup probe first and by liveness and readiness once that succeeded (or when it has none);
     * one that stopped, ended or is no longer placed here is not. Failure counts and kill notes of runs that are over go.
     */
    static NodeState sync(NodeState s, Instant now) {
        NodeState next = s;
        for (String kind : KINDS) {
            Readiness r = of(next, kind);
            for (String pod : r.pods().keySet()) {
                PodRuntime run = next.actual().get(pod);
                Readiness.Probing p = r.pods().get(pod);
                if (run == null || run.state() != ContainerState.Running || run.restarts() != p.restarts() || probeOf(next, pod, kind) == null) {
                    r = r.stopped(pod);
                }
            }
            next = with(next, kind, r);
        }
        for (PodRuntime run : next.actual().values()) {
            if (run.state() != ContainerState.Running) continue;
            String pod = run.pod();
            Instant startedAt = run.startedAt() != null ? run.startedAt() : now;
            Probe startup = probeOf(next, pod, PodUnhealthy.STARTUP);
            Readiness.Probing starting = next.health().startup().of(pod);
            if (startup != null && starting == null) {
                next = with(next, PodUnhealthy.STARTUP, next.health().startup().started(pod, startup, run.restarts(), startedAt));
                continue;
            }
            if (startup != null && !starting.done()) continue; // liveness and readiness wait for it
            Instant from = startup != null ? now : startedAt; // their initial delay counts from when they may begin
            Probe readiness = probeOf(next, pod, PodUnhealthy.READINESS);
            if (readiness != null && next.readiness().of(pod) == null) {
                next = next.withReadiness(next.readiness().started(pod, readiness, run.restarts(), from));
            }
            Probe liveness = probeOf(next, pod, PodUnhealthy.LIVENESS);
            if (liveness != null && next.health().liveness().of(pod) == null) {
                next = next.withHealth(next.health().withLiveness(next.health().liveness().started(pod, liveness, run.restarts(), from, true)));
            }
        }
        return next.withHealth(forgetEndedRuns(next, next.health()));
    }

    private static Health forgetEndedRuns(NodeState s, Health h) {
        Health out = h;
        for (var e : h.unhealthy().entrySet()) {
            String pod = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
            PodRuntime run = s.actual().get(pod);
            if (run == null || run.state() != ContainerState.Running || run.restarts() != e.getValue().restarts()) out = out.withUnhealthy(e.getKey(), null);
        }
        for (var e : h.kills().entrySet()) {
            PodRuntime run = s.actual().get(e.getKey());
            if (run == null || run.restarts() > e.getValue().restarts()) out = out.withKill(e.getKey(), null);
        }
        return out.equals(h) ? h : out;
    }

    /** When the next probe of any kind is due (the shell's timer). */
    static Optional<Instant> nextDue(NodeState s) {
        return Stream.of(s.readiness(), s.health().liveness(), s.health().startup())
                .map(Readiness::nextDue).flatMap(Optional::stream).min(Instant::compareTo);
    }

    /** The probe timer fired: every due probe starts; the timer is set for the next one. */
    static Decision<NodeState> due(NodeState s, Instant now) {
        NodeState next = s;
        List<Object> effects = new ArrayList<>();
        for (String kind : KINDS) {
            Readiness r = of(next, kind);
            for (String pod : r.due(now)) {
                effects.add(runProbe(next, pod, r.pods().get(pod), kind));
                r = r.probing(pod, now);
            }
            next = with(next, kind, r);
        }
        effects.add(new ProbeAt(nextDue(next).orElse(null)));
        return new Decision<>(next, List.of(), effects, null);
    }

    /** A readiness probe's outcome (as {@link #result(NodeState, String, String, int, boolean, String, Instant)}). */
    static Decision<NodeState> result(NodeState s, String pod, int restarts, boolean success) {
        return result(s, PodUnhealthy.READINESS, pod, restarts, success, null, Instant.EPOCH);
    }

    /**
     * A probe's outcome. Readiness: a ready change is published (and remembered for the re-report). Startup: its first
     * success lets liveness and readiness begin. Liveness and startup: the failureThreshold-th failure in a row kills
     * the container. A failure counts for PodUnhealthy. A result of another run, or when none is in flight, is stale.
     */
    static Decision<NodeState> result(NodeState s, String kind, String pod, int restarts, boolean success, String message, Instant now) {
        Readiness before = of(s, kind);
        Readiness after = before.result(pod, restarts, success);
        if (after == before) return Decision.unchanged(s);
        Readiness.Probing p = after.of(pod);
        if (PodUnhealthy.STARTUP.equals(kind) && success && p.ready()) after = after.finished(pod);
        NodeState next = with(s, kind, after);
        List<Outbound> outputs = new ArrayList<>();
        List<Object> effects = new ArrayList<>();
        next = counted(next, kind, pod, restarts, success, message, now, outputs);
        boolean fatal = !PodUnhealthy.READINESS.equals(kind) && !success && p.failed();
        if (fatal && next.health().killedFor(pod, restarts) == null) {
            PodRuntime run = next.actual().get(pod);
            String why = kind + " probe failed: " + describe(message);
            next = next.withHealth(next.health().withKill(pod, new Health.Kill(restarts, kind, why)));
            effects.add(new NodeAction.KillContainer(pod, run == null ? 0 : run.gracePeriodSeconds(), restarts));
        }
        if (PodUnhealthy.READINESS.equals(kind)) {
            String owner = PodContainers.podOf(pod);
            PodStatusChanged last = s.reported().get(owner);
            Boolean ready = after.ready(pod);
            PodRuntime run = next.actual().get(pod);
            if (last != null && !owner.equals(pod) && run != null) {
                // one container's readiness changes the pod's (ready when all are) and its own status
                PodStatusChanged summed = PodStatus.summed(next, owner, next.desired().get(owner), new PodStatus.Change(pod, run.state(),
                        run.exitCode(), reasonOf(last, pod), null, run.restarts(), null));
                if (!summed.ready().equals(last.ready()) || !summed.containerStatuses().equals(last.containerStatuses())) {
                    outputs.add(PodStatus.of(new PodStatusChanged(summed.pod(), summed.node(), summed.state(), summed.exitCode(),
                            summed.reason(), last.message(), summed.restartCount(), summed.imageID(), summed.podIP(), summed.ready(),
                            summed.containerStatuses(), summed.initContainerStatuses())));
                }
            } else if (last != null && !ready.equals(last.ready())) {
                outputs.add(PodStatus.of(last.withReady(ready)));
            }
        }
        effects.add(new ProbeAt(nextDue(next).orElse(null)));
        return Decisions.remembered(new Decision<>(next, outputs, effects, null));
    }

    /** The reason last reported for the pod's container of runtime id {@code id}. */
    private static String reasonOf(PodStatusChanged last, String id) {
        String name = PodContainers.nameOf(id);
        for (var cs : last.containerStatuses()) if (cs.name().equals(name)) return cs.reason();
        return last.reason();
    }

    /** Counts a failure (reported at once, then every {@link #UNHEALTHY_REPORT_INTERVAL} with its count); a success clears it. */
    private static NodeState counted(NodeState s, String kind, String pod, int restarts, boolean success, String message, Instant now,
                                     List<Outbound> outputs) {
        String key = Health.key(pod, kind);
        Health.Unhealthy u = s.health().unhealthy().get(key);
        if (success) return u == null ? s : s.withHealth(s.health().withUnhealthy(key, null));
        Health.Unhealthy counted = u == null || u.restarts() != restarts ? new Health.Unhealthy(restarts, 1, now, null)
                : new Health.Unhealthy(restarts, u.count() + 1, u.firstSeen(), u.reportedAt());
        if (counted.reportedAt() == null || !now.isBefore(counted.reportedAt().plus(UNHEALTHY_REPORT_INTERVAL))) {
            PodPlaced placed = s.placementOf(pod);
            String owner = PodContainers.podOf(pod);
            String of = owner.equals(pod) ? "" : "container " + PodContainers.nameOf(pod) + ": ";
            PodUnhealthy event = new PodUnhealthy(owner, s.node(), placed == null ? null : placed.namespace(), kind,
                    cut(of + kind + " probe failed: " + describe(message)), counted.count(), counted.firstSeen(), now);
            outputs.add(new Outbound(Topic.POD_STATUS, owner, event));
            counted = new Health.Unhealthy(restarts, counted.count(), counted.firstSeen(), now);
        }
        return s.withHealth(s.health().withUnhealthy(key, counted));
    }

    private static String describe(String message) { return message == null || message.isBlank() ? "no answer" : message; }

    private static String cut(String text) {
        int max = dev.berth.bus.Limits.TEXT_MAX_LENGTH;
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static RunProbe runProbe(NodeState s, String pod, Readiness.Probing p, String kind) {
        Probe probe = p.probe();
        dev.berth.bus.contract.Container container = s.containerOf(pod);
        List<ContainerPort> ports = container == null ? List.of() : container.ports(); // a named port is its container's
        String ip = s.network().podIPs().get(PodContainers.podOf(pod));
        String host = ip != null ? ip : LOOPBACK;
        int port = 0;
        if (probe.httpGet() != null) {
            if (probe.httpGet().host() != null) host = probe.httpGet().host();
            port = port(probe.httpGet().port(), probe.httpGet().portName(), ports);
        } else if (probe.tcpSocket() != null) {
            if (probe.tcpSocket().host() != null) host = probe.tcpSocket().host();
            port = port(probe.tcpSocket().port(), probe.tcpSocket().portName(), ports);
        }
        return new RunProbe(pod, p.restarts(), probe, host, port, kind);
    }

    /** A probe's port: its number, or the container port of that name (0: none such, the probe fails). */
    static int port(int number, String name, List<ContainerPort> ports) {
        if (name == null) return number;
        for (ContainerPort cp : ports) if (name.equals(cp.name())) return cp.containerPort();
        return 0;
    }
}
