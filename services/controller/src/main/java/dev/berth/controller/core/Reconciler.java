package dev.berth.controller.core;

import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Level-triggered reconciliation, like a Kubernetes ReplicaSet controller: compares every
 * deployment with every pod and returns what closes the gap. It looks only at the current state,
 * never at what just happened, so a missed or repeated event cannot leave pods wrong, and running
 * it again on its own result decides nothing.
 * <ul>
 *   <li>pods whose template differs from their deployment's are replaced (deleted, then created anew);</li>
 *   <li>missing replicas are created with deterministic names ({@link PodNames});</li>
 *   <li>extra replicas are deleted, pods that are not running first, then the newest;</li>
 *   <li>pods of deleted deployments are deleted.</li>
 * </ul>
 * Pods whose deletion was already requested no longer count and are not asked again.
 */
public final class Reconciler {
    private Reconciler() {}

    /** Don't delete running pods before others; among equals, the newest goes first. */
    private static final Comparator<PodRecord> DELETION_ORDER = Comparator
            .comparing(PodRecord::isRunning)
            .thenComparing(Comparator.comparingLong(PodRecord::serial).reversed());

    public static Step reconcile(ControllerState state, Instant now) {
        return Step.of(state, decide(state), now);
    }

    public static List<Event> decide(ControllerState state) {
        Map<String, List<PodRecord>> liveByDeployment = new TreeMap<>();
        for (PodRecord p : state.pods().values()) {
            if (!p.deletionRequested()) liveByDeployment.computeIfAbsent(p.deployment(), d -> new ArrayList<>()).add(p);
        }
        liveByDeployment.values().forEach(pods -> pods.sort(Comparator.comparingLong(PodRecord::serial)));

        Set<String> taken = new HashSet<>(state.pods().keySet());
        List<Event> events = new ArrayList<>();
        for (DeploymentRecord d : new TreeMap<>(state.deployments()).values()) {
            reconcile(d, liveByDeployment.getOrDefault(d.name(), List.of()), state.nextSerial(d.name()), taken, events);
        }
        liveByDeployment.forEach((deployment, pods) -> {
            if (state.deployments().containsKey(deployment)) return;
            for (PodRecord p : pods) events.add(delete(p, "deployment " + deployment + " deleted"));
        });
        evictFromDrainingNodes(state, events);
        return events;
    }

    private static void reconcile(DeploymentRecord d, List<PodRecord> live, long nextSerial, Set<String> taken,
                                  List<Event> events) {
        List<PodRecord> current = new ArrayList<>();
        for (PodRecord p : live) {
            if (p.template().equals(d.spec().template())) current.add(p);
            else events.add(delete(p, "replaced: deployment " + d.name() + " changed to generation " + d.generation()));
        }
        int excess = current.size() - d.replicas();
        if (excess > 0) {
            String reason = "scaled down to " + Verdicts.replicas(d.replicas());
            current.stream().sorted(DELETION_ORDER).limit(excess).forEach(p -> events.add(delete(p, reason)));
        }
        for (int i = 0; i < -excess; i++) {
            String name = PodNames.name(d.name(), nextSerial + i, taken);
            taken.add(name);
            events.add(new PodCreated(name, d.name(), d.generation(), d.spec().template()));
        }
    }

    /** A drain is level-triggered: a pod that landed on a draining node after the drain goes too. */
    private static void evictFromDrainingNodes(ControllerState state, List<Event> events) {
        Set<String> deleting = new HashSet<>();
        for (Event e : events) if (e instanceof PodDeletionRequested d) deleting.add(d.pod());
        for (NodeRecord node : new TreeMap<>(state.nodes()).values()) {
            if (!node.draining()) continue;
            for (PodRecord pod : state.podsOn(node.name())) {
                if (pod.deletionRequested() || deleting.contains(pod.name())) continue;
                events.add(delete(pod, "node " + node.name() + " drained"));
            }
        }
    }

    private static PodDeletionRequested delete(PodRecord pod, String reason) {
        return new PodDeletionRequested(pod.name(), pod.deployment(), reason);
    }
}
