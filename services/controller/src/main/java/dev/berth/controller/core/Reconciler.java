package dev.berth.controller.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Level-triggered reconciliation, like Kubernetes' deployment and ReplicaSet controllers: compares
 * deployments with their pods and returns what closes the gap. It looks only at the current state
 * (and {@code now}, for minReadySeconds and the progress deadline), never at what just happened, so
 * a missed or repeated event cannot leave pods wrong, and running it again on its own result decides
 * nothing (unless it stopped at {@link #MAX_CREATIONS}). A {@link ReconcileScope} limits it to the
 * deployments and nodes an input touched; the periodic resync compares everything.
 * <ul>
 *   <li>pods of an older template are replaced as the deployment's strategy says ({@link Rollouts}:
 *       RollingUpdate within maxSurge/maxUnavailable, Recreate, nothing while paused);</li>
 *   <li>missing replicas are created with deterministic names ({@link PodNames}), at most
 *       {@link #MAX_CREATIONS} per decision;</li>
 *   <li>extra replicas are deleted, pods that are not running first, then the newest;</li>
 *   <li>pods of deleted deployments are deleted;</li>
 *   <li>pods on a draining node are evicted (and replaced like any other missing replica);</li>
 *   <li>then each reconciled deployment's status, when it changed ({@link DeploymentStatuses}).</li>
 * </ul>
 * Pods whose deletion was already requested no longer count and are not asked again.
 */
public final class Reconciler {
    private Reconciler() {}

    /**
     * At most this many pods are created by one decision (like Kubernetes' burstReplicas): a large
     * apply is published as several transactions, and the shell folds the heartbeats that arrive
     * in between instead of stalling on one huge unit. The rest comes from the next reconcile.
     */
    public static final int MAX_CREATIONS = 1000;

    /**
     * What a reconcile of {@code scope} that stopped at {@link #MAX_CREATIONS} left undone: the
     * deployments from the one it stopped in (they go in name order, so those before it are done;
     * deletions and evictions are never held back). Null when it finished.
     */
    public static ReconcileScope unfinished(Decision<ControllerState> reconciled, ReconcileScope scope) {
        String last = null;
        int creations = 0;
        for (Outbound out : reconciled.outputs()) {
            if (out.payload() instanceof PodCreated c) {
                creations++;
                last = c.ofJob() ? JobRecord.ownerKey(c.namespace(), c.deployment()) : c.deploymentKey();
            }
        }
        return creations < MAX_CREATIONS ? null : scope.from(last, reconciled.state());
    }

    /** Reconciles everything: at start and on the periodic resync. */
    public static Decision<ControllerState> reconcile(ControllerState state, Instant now) { return reconcile(state, ReconcileScope.EVERYTHING, now); }

    /** Reconciles what {@code scope} names: after a unit of input, what that input touched. */
    /** Each pod event answers what last changed its deployment ({@link ControllerState#causeOf}). */
    public static Decision<ControllerState> reconcile(ControllerState state, ReconcileScope scope, Instant now) {
        Decided decided = decideWithStatuses(state, scope, now, true);
        return Decision.of(decided.after(), decided.events().stream().map(Outputs::route).toList())
                .caused(out -> state.causeOf(Outputs.deploymentOf(out.payload())));
    }

    /** The rollout's pod decisions, with every ready pod taken as available (no time given). */
    public static List<Event> decide(ControllerState state) { return decide(state, ReconcileScope.EVERYTHING); }

    public static List<Event> decide(ControllerState state, ReconcileScope scope) { return decide(state, scope, Instant.MAX); }

    /** The pod decisions for what {@code scope} names, at {@code now} (minReadySeconds counts to it); statuses aside. */
    public static List<Event> decide(ControllerState state, ReconcileScope scope, Instant now) {
        return decideWithStatuses(state, scope, now, false).events();
    }

    /** The events decided, and (with statuses) the state they lead to; null without. */
    private record Decided(List<Event> events, ControllerState after) {}

    /**
     * The pod decisions, then, with {@code statuses}, the status of every reconciled deployment that changed
     * ({@link DeploymentStatuses}), computed on the state those decisions lead to.
     */
    private static Decided decideWithStatuses(ControllerState state, ReconcileScope scope, Instant now, boolean statuses) {
        // Evictions come first: an evicted pod no longer counts as a replica, so its replacement is
        // created in this same decision, even when the input named only the node.
        Map<String, PodDeletionRequested> evictions = evictionsFromDrainingNodes(state, scope.nodes(state));
        SortedSet<String> deployments = new TreeSet<>(scope.deployments(state));
        SortedSet<String> jobs = new TreeSet<>(scope.jobs(state));
        evictions.values().forEach(e -> (e.ofJob() ? jobs : deployments).add(e.deploymentKey()));

        List<Event> events = new ArrayList<>();
        Set<String> named = new HashSet<>(); // names given in this decision, not yet in the state
        Predicate<String> taken = name -> named.contains(name) || state.pods().containsKey(name);
        // Deployments by key (namespace/name, the bare name in default); pod names are taken cluster-wide.
        for (String key : deployments) {
            DeploymentRecord d = state.deployments().get(key);
            if (d != null) reconcile(d, staying(state, key, evictions), state.podsOf(key), state.nextSerial(key), taken, named, events, now);
        }
        for (String key : deployments) {
            if (state.deployments().containsKey(key)) continue;
            for (PodRecord p : staying(state, key, evictions)) events.add(delete(p, "deployment " + p.deployment() + " deleted"));
        }
        for (String key : jobs) reconcileJob(state, key, evictions, taken, named, events, now);
        events.addAll(evictions.values());
        if (!statuses) return new Decided(events, null);
        // Each event is applied once: the pod decisions, then the statuses computed on the state they lead to.
        ControllerState after = EventAppliers.applyAll(state, events, now);
        List<Event> changed = new ArrayList<>();
        for (String key : deployments) {
            DeploymentRecord d = after.deployments().get(key);
            if (d != null) changed.addAll(DeploymentStatuses.changed(d, after.livePodsOf(key), now));
        }
        events.addAll(changed);
        return new Decided(events, EventAppliers.applyAll(after, changed, now));
    }

    /** Live pods of the deployment, but for those being evicted. */
    private static List<PodRecord> staying(ControllerState state, String deployment, Map<String, PodDeletionRequested> evictions) {
        List<PodRecord> live = state.livePodsOf(deployment);
        if (!evictions.isEmpty()) live.removeIf(p -> evictions.containsKey(p.name()));
        return live;
    }

    private static void reconcile(DeploymentRecord d, List<PodRecord> live, List<PodRecord> all, long nextSerial, Predicate<String> taken,
                                  Set<String> named, List<Event> events, Instant now) {
        long[] serial = {nextSerial};
        Rollouts.reconcile(d, live, all, now, new Rollouts.Plan() {
            @Override
            public int create(int n, dev.berth.bus.contract.PodTemplate template, long revision) {
                int creating = Math.min(n, MAX_CREATIONS - named.size());
                for (int i = 0; i < creating; i++) {
                    String name = PodNames.name(d.namespace(), d.name(), serial[0]++, taken);
                    named.add(name);
                    events.add(new PodCreated(name, d.name(), d.generation(), template, d.namespace(), revision));
                }
                return Math.max(creating, 0);
            }

            @Override
            public void delete(PodRecord pod, String reason) { events.add(Reconciler.delete(pod, reason)); }
        });
    }

    /** A Job's pods (an evicted one counts as gone and is replaced); a deleted Job's pods all go. */
    private static void reconcileJob(ControllerState state, String key, Map<String, PodDeletionRequested> evictions, Predicate<String> taken,
                                     Set<String> named, List<Event> events, Instant now) {
        JobRecord job = state.jobs().get(key);
        String owner = JobRecord.ownerKey(dev.berth.bus.contract.Namespaces.namespaceOf(key), dev.berth.bus.contract.Namespaces.nameOf(key));
        if (job == null) {
            for (PodRecord p : staying(state, owner, evictions)) events.add(delete(p, "job " + p.deployment() + " deleted"));
            return;
        }
        List<PodRecord> pods = state.podsOf(owner);
        if (!evictions.isEmpty()) pods.removeIf(p -> evictions.containsKey(p.name()));
        long[] serial = {state.nextSerial(owner)};
        JobController.reconcile(job, pods, now, new JobController.Plan() {
            @Override
            public int create(int n, dev.berth.bus.contract.PodTemplate template) {
                int creating = Math.min(n, MAX_CREATIONS - named.size());
                for (int i = 0; i < creating; i++) {
                    String name = PodNames.name(job.namespace(), job.name(), serial[0]++, taken);
                    named.add(name);
                    events.add(new PodCreated(name, job.name(), job.generation(), template, job.namespace(), 0, PodCreated.JOB));
                }
                return Math.max(creating, 0);
            }

            @Override
            public void delete(PodRecord pod, String reason) { events.add(Reconciler.delete(pod, reason)); }
        }, events);
    }

    /** A drain is level-triggered: a pod that landed on a draining node after the drain goes too. By pod name, in node order. */
    private static Map<String, PodDeletionRequested> evictionsFromDrainingNodes(ControllerState state, Iterable<String> nodes) {
        Map<String, PodDeletionRequested> evictions = new LinkedHashMap<>();
        for (String name : nodes) {
            NodeRecord node = state.nodes().get(name);
            if (node == null || !node.draining()) continue;
            for (PodRecord pod : state.podsOn(name)) {
                if (!pod.deletionRequested()) evictions.put(pod.name(), delete(pod, "node " + name + " drained"));
            }
        }
        return evictions;
    }

    private static PodDeletionRequested delete(PodRecord pod, String reason) {
        return new PodDeletionRequested(pod.name(), pod.deployment(), reason, pod.namespace(), pod.ownerKind());
    }
}
