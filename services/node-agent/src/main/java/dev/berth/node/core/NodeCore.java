package dev.berth.node.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.Resources;
import dev.berth.node.image.PullBackoff;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/**
 * The node agent's decisions, pure: placements change desired state; runtime reports change
 * actual state; {@link #reconcile} compares all desired pods with all actual containers and says
 * what to start, restart and stop. Every state change of a container is reported on
 * berth.pod-status. What happens when a container ends is {@link Restarts}; what a restarted agent
 * does with the containers it finds is {@link Adoption}.
 */
public final class NodeCore {
    private NodeCore() {}

    /** A placement for this node: the pod becomes desired. Placements for other nodes are ignored. */
    public static NodeState placed(NodeState s, PodPlaced p) {
        return p.node().equals(s.node()) ? s.withDesired(p.pod(), p) : s;
    }

    /** A release for this node: the pod is no longer desired here. */
    public static NodeState released(NodeState s, PodReleased r) {
        return r.node().equals(s.node()) ? s.withDesired(r.pod(), null) : s;
    }

    /**
     * Level-triggered: start every desired pod that has no container, restart every Waiting one whose
     * back-off is over, stop every container no longer desired.
     */
    public static Decision<NodeState> reconcile(NodeState s, Instant now) {
        NodeState next = s;
        List<NodeAction> actions = new ArrayList<>();
        List<Outbound> events = new ArrayList<>();
        for (PodPlaced p : s.desired().values()) {
            for (String id : PodContainers.wanted(s, p.pod(), p.template())) {
                next = reconcile(s, next, p, id, now, actions, events);
            }
        }
        for (PodRuntime r : s.actual().values()) {
            // A container still starting is stopped once it runs: runc cannot stop it half-created.
            if (s.placementOf(r.pod()) != null || r.state() == ContainerState.Starting || r.state() == ContainerState.Terminating) continue;
            next = next.withActual(r.pod(), r.with(ContainerState.Terminating, r.exitCode()));
            actions.add(new NodeAction.StopContainer(r.pod(), r.gracePeriodSeconds()));
            events.add(PodStatus.of(s, r, ContainerState.Terminating, r.exitCode(), "Killing", "stopping container"));
        }
        return Decisions.remembered(Decisions.of(next, actions, events));
    }

    /** One container the pod wants now: started, restarted after its back-off, or left as it is. */
    private static NodeState reconcile(NodeState s, NodeState next, PodPlaced p, String id, Instant now,
                                       List<NodeAction> actions, List<Outbound> events) {
        PodRuntime r = s.actual().get(id);
        int grace = p.template().terminationGracePeriodSeconds();
        String image = PodContainers.containerOf(id, p.template()).image();
        String what = PodContainers.nameOf(id) == null ? "container" : "container " + PodContainers.nameOf(id);
        if (r == null && s.network().blocked()) {
            // Kubernetes' ContainerCreating: no sandbox can be made before the node's network is
            next = next.withActual(id, PodRuntime.waitingForNetwork(id, grace));
            events.add(PodStatus.of(s, id, ContainerState.Waiting, null, PullBackoff.CONTAINER_CREATING,
                    PodNetworkState.WAITING_FOR_CIDR, 0));
        } else if (r == null || (r.waitsForNetwork() && !s.network().blocked())) {
            int restarts = r == null ? 0 : r.restarts();
            next = next.withActual(id, PodRuntime.starting(id, restarts, 0, grace));
            actions.add(new NodeAction.StartContainer(id, p.template(), restarts, 0));
            events.add(PodStatus.of(s, id, ContainerState.Starting, null, "Scheduled", "starting " + what, restarts));
        } else if (r.waitsForNetwork()) {
            return next; // still no pod CIDR
        } else if (r.state() == ContainerState.Waiting && !now.isBefore(r.restartAt()) && Restarts.waitingForSandbox(s, id)) {
            // the sandbox back-off is over: create it again; no restart counted, the container never ran
            PodRuntime retrying = PodRuntime.starting(id, r.restarts(), r.backoffSteps(), grace);
            next = next.withActual(id, retrying);
            actions.add(new NodeAction.StartContainer(id, p.template(), retrying.restarts(), retrying.backoffSteps()));
            events.add(PodStatus.of(s, retrying, ContainerState.Starting, null, PullBackoff.CONTAINER_CREATING,
                    "creating the pod sandbox again"));
        } else if (r.state() == ContainerState.Waiting && !now.isBefore(r.restartAt()) && ConfigWait.waiting(s, p)) {
            // its ConfigMaps and Secrets are looked up again; no restart counted, the container never ran
            PodRuntime retrying = PodRuntime.starting(id, r.restarts(), r.backoffSteps(), grace);
            next = ConfigWait.retrying(next, p.pod()).withActual(id, retrying);
            actions.add(new NodeAction.StartContainer(id, p.template(), retrying.restarts(), retrying.backoffSteps()));
        } else if (r.state() == ContainerState.Waiting && !now.isBefore(r.restartAt()) && Restarts.waitingForPull(s, id, image)) {
            // the image pull back-off is over: pull again; no restart counted, the container never ran
            PodRuntime retrying = PodRuntime.starting(id, r.restarts(), r.backoffSteps(), grace);
            next = next.withActual(id, retrying);
            actions.add(new NodeAction.StartContainer(id, p.template(), retrying.restarts(), retrying.backoffSteps()));
            events.add(PodStatus.of(s, retrying, ContainerState.Starting, null, "Pulling", "pulling image \"" + image + "\""));
        } else if (r.state() == ContainerState.Waiting && !now.isBefore(r.restartAt())) {
            PodRuntime restarting = PodRuntime.starting(id, r.restarts() + 1, r.backoffSteps(), grace);
            next = next.withActual(id, restarting);
            actions.add(new NodeAction.StartContainer(id, p.template(), restarting.restarts(), restarting.backoffSteps()));
            events.add(PodStatus.of(s, restarting, ContainerState.Starting, null, "Restarting",
                    "restarting " + what + " after back-off (restart " + restarting.restarts() + ")"));
        }
        return next;
    }

    /**
     * Every container's last reported status, sent again now and then in full: a report lost on its way
     * (e.g. while the broker was down) heals at the next one. A repeat says nothing new, so the
     * controller and scheduler fold it as a no-op.
     */
    public static List<Outbound> statusReport(NodeState s) {
        List<Outbound> out = new ArrayList<>(s.reported().size());
        for (PodStatusChanged status : s.reported().values()) out.add(PodStatus.of(status));
        return out;
    }

    /** When the next Waiting container is due to restart: the shell sets a timer and reconciles then. */
    public static Optional<Instant> nextWakeUp(NodeState s) {
        return s.actual().values().stream()
                .filter(r -> r.state() == ContainerState.Waiting && r.restartAt() != null && s.placementOf(r.pod()) != null)
                .map(PodRuntime::restartAt).min(Instant::compareTo);
    }

    /** The agent is shutting down: every container is stopped and removed, whatever is desired. */
    public static Decision<NodeState> shutdown(NodeState s) {
        NodeState next = s;
        List<NodeAction> actions = new ArrayList<>();
        List<Outbound> events = new ArrayList<>();
        for (PodRuntime r : s.actual().values()) {
            if (r.state() == ContainerState.Terminating) continue;
            next = next.withActual(r.pod(), r.with(ContainerState.Terminating, r.exitCode()));
            actions.add(new NodeAction.StopContainer(r.pod(), r.gracePeriodSeconds()));
            events.add(PodStatus.of(s, r, ContainerState.Terminating, r.exitCode(), "NodeShutdown", "node agent stopping"));
        }
        return Decisions.remembered(Decisions.of(next, actions, events));
    }

    public static Decision<NodeState> started(NodeState s, String pod, long pid, Instant now) {
        return started(s, pod, pid, null, now);
    }

    /** As {@link #started(NodeState, String, long, Instant)}, reporting the image digest it runs (null: unknown). */
    public static Decision<NodeState> started(NodeState s, String pod, long pid, String imageID, Instant now) {
        return started(s, pod, pid, imageID, null, now);
    }

    /** The same with the pod's IP on the node's pod network (null: the pod has none), reported from now on. */
    public static Decision<NodeState> started(NodeState before, String pod, long pid, String imageID, String podIP, Instant now) {
        PodRuntime r = before.actual().get(pod);
        if (r == null || r.state() != ContainerState.Starting) return Decisions.of(before);
        NodeState s = podIP == null ? before : before.withPodIP(PodContainers.podOf(pod), podIP);
        NodeState next = s.withActual(pod, r.running(now));
        var container = s.containerOf(pod);
        if (container != null) next = next.withPulls(next.pulls().succeeded(NodeState.pullKey(pod, container.image())));
        next = next.withPulls(next.pulls().succeeded(NodeState.sandboxKey(pod)));
        // the pod's status once this one runs: the state it is reported from is the one where it does
        Outbound status = PodStatus.of(next, pod, ContainerState.Running, null, "Started",
                "container started, pid " + pid, r.restarts(), imageID);
        return Decisions.remembered(Decisions.of(next, status));
    }

    /** The runtime removed the container: forget it. */
    public static Decision<NodeState> stopped(NodeState s, String pod) {
        PodRuntime r = s.actual().get(pod);
        if (r == null) return Decisions.of(s);
        String owner = PodContainers.podOf(pod);
        NodeState next = s.withActual(pod, null);
        if (!owner.equals(pod) && PodContainers.hasAny(next, owner)) {
            return Decisions.of(next); // the pod's other containers still go: it is Stopped once the last one is
        }
        next = next.withPodIP(owner, null); // its network went with it
        PodPlaced placed = s.desired().get(owner);
        if (placed == null) next = next.withPulls(forget(next.pulls(), owner));
        List<NodeAction> removal = owner.equals(pod) ? List.of() : List.of(new NodeAction.RemovePodNetwork(owner));
        return Decisions.remembered(Decisions.of(next, removal,
                List.of(PodStatus.of(s, r, ContainerState.Stopped, r.exitCode(), "Deleted", "container removed"))));
    }

    /** The pull back-off without a pod's entries: a pod released from here starts afresh if it returns. */
    private static PullBackoff forget(PullBackoff pulls, String pod) {
        PullBackoff out = pulls;
        for (String key : pulls.entries().keySet()) {
            if (key.startsWith(pod + "/") || key.startsWith(pod + PodContainers.SEPARATOR)) out = out.succeeded(key);
        }
        return out;
    }

    /** What is left of {@code capacity} once the {@code placed} pods' requests (and slots, and extended resources) are taken. */
    public static NodeResources allocatable(NodeResources capacity, Collection<PodPlaced> placed) {
        Resources reserved = Resources.ZERO;
        for (PodPlaced p : placed) reserved = reserved.plus(p.template().resources().requested());
        Map<String, Long> extended = new TreeMap<>();
        for (Map.Entry<String, Long> e : capacity.extended().entrySet()) {
            extended.put(e.getKey(), Math.max(0, e.getValue() - reserved.extended(e.getKey())));
        }
        return new NodeResources(
                Math.max(0, capacity.cpuMillis() - reserved.cpuMillis()),
                Math.max(0, capacity.memoryBytes() - reserved.memoryBytes()),
                Math.max(0, capacity.pods() - placed.size()), extended);
    }

    /** The periodic report: allocatable is capacity minus what the pods placed here reserve. */
    public static NodeHeartbeat heartbeat(NodeState s, NodeResources capacity, List<String> images, long sequence, Instant startedAt) {
        NodeResources allocatable = allocatable(capacity, s.desired().values());
        List<String> running = s.actual().values().stream()
                .filter(r -> r.state() == ContainerState.Running).map(r -> PodContainers.podOf(r.pod())).distinct().sorted().toList();
        return new NodeHeartbeat(s.node(), capacity, allocatable, images, running, sequence, startedAt);
    }
}
