package dev.berth.node.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.ContainerStatus;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the node's reports on berth.pod-status, keyed by pod. A single-container pod's report is its container's
 * (as before several containers). Any other pod's report sums up its containers, each one's in containerStatuses
 * and initContainerStatuses: while an init container has not completed the pod is Starting ({@code Init:N/M}) or
 * says what its init container does ({@code Init:Error}, {@code Init:CrashLoopBackOff}); then it is Running once
 * every app container runs, ready when all of them are, Waiting or Failed as its worst container, and Exited once
 * all of them ended for good.
 */
final class PodStatus {
    private PodStatus() {}

    static Outbound of(NodeState s, PodRuntime r, ContainerState state, Integer exitCode, String reason, String message) {
        return of(s, r.pod(), state, exitCode, reason, message, r.restarts());
    }

    /** The status of the pod of runtime container {@code id} now that the container is {@code state}. */
    static Outbound of(NodeState s, String id, ContainerState state, Integer exitCode, String reason, String message,
                       int restarts) {
        return of(s, id, state, exitCode, reason, message, restarts, null);
    }

    /** As above, {@code imageID} the digest the container just started from (null: as reported before). */
    static Outbound of(NodeState s, String id, ContainerState state, Integer exitCode, String reason, String message,
                       int restarts, String imageID) {
        String pod = PodContainers.podOf(id);
        PodPlaced placed = s.desired().get(pod);
        if (id.equals(pod) && (placed == null || PodContainers.single(placed.template()))) {
            PodStatusChanged single = new PodStatusChanged(pod, s.node(), state, exitCode, reason, message, restarts, null,
                    s.network().podIPs().get(pod), Probes.readyOf(s, pod, state));
            return of(imageID == null ? single : single.withImageID(imageID));
        }
        return of(summed(s, pod, placed, new Change(id, state, exitCode, reason, message, restarts, imageID)));
    }

    static Outbound of(PodStatusChanged status) {
        return new Outbound(Topic.POD_STATUS, status.pod(), status);
    }

    /** What just happened to one of the pod's containers. */
    record Change(String id, ContainerState state, Integer exitCode, String reason, String message, int restarts, String imageID) {}

    /** The pod's report with its containers as the node knows them and {@code change} applied. */
    static PodStatusChanged summed(NodeState s, String pod, PodPlaced placed, Change change) {
        PodStatusChanged last = s.reported().get(pod);
        String ip = s.network().podIPs().get(pod);
        String message = PodContainers.nameOf(change.id()) == null || change.message() == null ? change.message()
                : "container " + PodContainers.nameOf(change.id()) + ": " + change.message();
        if (placed == null) { // released: its containers go as the pod does, the last statuses stay as they were
            List<ContainerStatus> app = last == null ? List.of() : last.containerStatuses();
            List<ContainerStatus> init = last == null ? List.of() : last.initContainerStatuses();
            return new PodStatusChanged(pod, s.node(), change.state(), change.exitCode(), change.reason(), message,
                    last == null ? change.restarts() : last.restartCount(), null, ip, false, app, init);
        }
        PodTemplate t = placed.template();
        Map<String, ContainerStatus> before = new HashMap<>();
        if (last != null) {
            for (ContainerStatus cs : last.containerStatuses()) before.put(cs.name(), cs);
            for (ContainerStatus cs : last.initContainerStatuses()) before.put(cs.name(), cs);
        }
        int initsDone = initsDone(s, pod, t, change);
        boolean initializing = initsDone < t.initContainers().size();
        List<ContainerStatus> init = new ArrayList<>();
        for (Container c : t.initContainers()) init.add(status(s, pod, t, c, true, initializing, change, before.get(c.name())));
        List<ContainerStatus> app = new ArrayList<>();
        for (Container c : t.containers()) app.add(status(s, pod, t, c, false, initializing, change, before.get(c.name())));
        if (initializing) {
            ContainerStatus current = init.get(initsDone);
            int restarts = init.stream().mapToInt(ContainerStatus::restartCount).sum();
            String what = "Init:" + initsDone + "/" + t.initContainers().size();
            ContainerState state = ContainerState.Starting;
            String reason = what;
            boolean creating = "ContainerCreating".equals(current.reason()) || "PodInitializing".equals(current.reason());
            if (!creating && (current.state() == ContainerState.Waiting || current.state() == ContainerState.Failed
                    || current.state() == ContainerState.Exited)) {
                reason = "Init:" + (current.reason() == null ? "Error" : current.reason());
                boolean again = s.policy(PodContainers.id(pod, t, current.name())).restartsAfter(current.exitCode());
                state = current.state() == ContainerState.Exited && !again ? ContainerState.Failed : current.state();
            }
            return new PodStatusChanged(pod, s.node(), state, current.exitCode(), reason, message, restarts,
                    null, ip, false, app, init);
        }
        return running(s, pod, app, init, message, ip, change);
    }

    /** After the init containers: the pod as its app containers are, the worst of them first. */
    private static PodStatusChanged running(NodeState s, String pod, List<ContainerStatus> app, List<ContainerStatus> init,
                                            String message, String ip, Change change) {
        int restarts = app.stream().mapToInt(ContainerStatus::restartCount).sum();
        boolean allReady = app.stream().allMatch(ContainerStatus::ready);
        ContainerStatus worst = null;
        for (ContainerState state : List.of(ContainerState.Terminating, ContainerState.Failed, ContainerState.Waiting,
                ContainerState.Starting, ContainerState.Running)) {
            for (ContainerStatus cs : app) if (cs.state() == state && worst == null) worst = cs;
        }
        ContainerState state;
        Integer exitCode = null;
        String reason;
        if (worst == null) { // every one ended for good
            state = ContainerState.Exited;
            ContainerStatus failed = app.stream().filter(cs -> cs.exitCode() == null || cs.exitCode() != 0).findFirst().orElse(null);
            exitCode = failed == null ? Integer.valueOf(0) : failed.exitCode();
            reason = failed == null ? "Completed" : failed.reason();
        } else {
            state = worst.state();
            exitCode = worst.exitCode();
            reason = worst.state() == ContainerState.Running ? change.reason() : worst.reason();
        }
        if (change.state() == ContainerState.Stopped || change.state() == ContainerState.Terminating) {
            state = change.state();
            reason = change.reason();
        }
        String imageID = app.isEmpty() ? null : app.get(0).imageID();
        return new PodStatusChanged(pod, s.node(), state, exitCode, reason, message, restarts, imageID, ip,
                state == ContainerState.Running && allReady, app, init);
    }

    private static int initsDone(NodeState s, String pod, PodTemplate t, Change change) {
        int n = 0;
        for (Container c : t.initContainers()) {
            String id = PodContainers.id(pod, t, c.name());
            boolean done = id.equals(change.id())
                    ? change.state() == ContainerState.Exited && change.exitCode() != null && change.exitCode() == 0
                    : PodContainers.completed(s.actual().get(id));
            if (!done) break;
            n++;
        }
        return n;
    }

    /** One container's status: as {@code change} says for its own, else as the node knows it (reason as last reported). */
    private static ContainerStatus status(NodeState s, String pod, PodTemplate t, Container c, boolean isInit, boolean initializing,
                                          Change change, ContainerStatus before) {
        String id = PodContainers.id(pod, t, c.name());
        String imageID = before == null ? null : before.imageID();
        if (id.equals(change.id())) {
            if (change.imageID() != null) imageID = change.imageID();
            boolean ready = isInit ? PodContainers.completed(new PodRuntime(id, change.state(), change.exitCode(), 0, 0, null, null, 0))
                    : change.state() == ContainerState.Running && !Boolean.FALSE.equals(Probes.readyOf(s, id, change.state()));
            return new ContainerStatus(c.name(), change.state(), ready, change.restarts(), change.exitCode(), change.reason(),
                    c.image(), imageID);
        }
        PodRuntime r = s.actual().get(id);
        if (r == null) {
            String reason = !isInit && initializing ? "PodInitializing" : "ContainerCreating";
            return new ContainerStatus(c.name(), ContainerState.Waiting, false, 0, null, reason, c.image(), null);
        }
        boolean ready = isInit ? PodContainers.completed(r)
                : r.state() == ContainerState.Running && !Boolean.FALSE.equals(Probes.readyOf(s, id, r.state()));
        String reason = before != null && before.state() == r.state() ? before.reason() : null;
        if (reason == null && PodContainers.completed(r)) reason = "Completed";
        return new ContainerStatus(c.name(), r.state(), ready, r.restarts(), r.exitCode(), reason, c.image(), imageID);
    }
}
