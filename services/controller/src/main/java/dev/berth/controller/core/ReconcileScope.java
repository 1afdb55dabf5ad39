package dev.berth.controller.core;

import dev.berth.bus.contract.DeploymentEvent;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.JobEvent;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Where the {@link Reconciler} looks: the deployments (by key: namespace/name, the bare name in default) whose pods it compares with their spec and the
 * nodes it checks for draining. After a unit of input only the parts that input touched can have
 * drifted (everything else was reconciled before), so walking them alone decides the same as
 * walking everything; the periodic resync walks {@link #EVERYTHING} as the safety net.
 */
public final class ReconcileScope {
    public static final ReconcileScope EVERYTHING = new ReconcileScope(true, Collections.emptySortedSet(), Collections.emptySortedSet());

    private final boolean everything;
    private final SortedSet<String> deployments;
    private final SortedSet<String> nodes;
    /** Jobs by key ({@link Namespaces#key}), reconciled after the deployments ({@link JobController}). */
    private final SortedSet<String> jobs;

    private ReconcileScope(boolean everything, SortedSet<String> deployments, SortedSet<String> nodes) {
        this(everything, deployments, nodes, new TreeSet<>());
    }

    private ReconcileScope(boolean everything, SortedSet<String> deployments, SortedSet<String> nodes, SortedSet<String> jobs) {
        this.everything = everything;
        this.deployments = deployments;
        this.nodes = nodes;
        this.jobs = jobs;
    }

    /**
     * What {@code events}, once applied, may have put out of line:
     * <ul>
     *   <li>a deployment's own events, and pods created, deleted or lost: that deployment;</li>
     *   <li>a placement or a pod status: the node it puts the pod on, which may be draining (a pod status may
     *       move a rollout too: {@link #of(Iterable, ControllerState)} adds its deployment);</li>
     *   <li>a node status: that node, which a drain makes draining;</li>
     *   <li>anything else (heartbeats, verdicts): nothing.</li>
     * </ul>
     */
    public static ReconcileScope of(Iterable<? extends Event> events) {
        SortedSet<String> deployments = new TreeSet<>();
        SortedSet<String> nodes = new TreeSet<>();
        SortedSet<String> jobs = new TreeSet<>();
        for (Event event : events) {
            if (event instanceof DeploymentEvent e) deployments.add(e.key());
            else if (event instanceof JobEvent e) jobs.add(e.key());
            else if (event instanceof PodCreated e) (e.ofJob() ? jobs : deployments).add(e.deploymentKey());
            else if (event instanceof PodDeletionRequested e) (e.ofJob() ? jobs : deployments).add(e.deploymentKey());
            else if (event instanceof PodLost e) (e.ofJob() ? jobs : deployments).add(e.deploymentKey());
            else if (event instanceof PodPlaced e) addIfPresent(nodes, e.node());
            else if (event instanceof PodStatusChanged e) addIfPresent(nodes, e.node());
            else if (event instanceof NodeStatusChanged e) nodes.add(e.node());
        }
        return new ReconcileScope(false, deployments, nodes, jobs);
    }

    /**
     * What {@code events} may have put out of line in {@code state} (where they are applied already): as
     * {@link #of(Iterable)}, and a rollout's deployment for each pod report, since a pod turning ready or failing
     * lets its rollout proceed. A report that made a pod of a Recreate deployment go (it stopped after its deletion)
     * names every Recreate deployment short of its replicas: the stopped pod is forgotten, with its deployment.
     */
    public static ReconcileScope of(Iterable<? extends Event> events, ControllerState state) {
        ReconcileScope scope = of(events);
        boolean forgotten = false;
        for (Event event : events) {
            if (!(event instanceof PodStatusChanged e)) continue;
            PodRecord pod = state.pods().get(e.pod());
            if (pod != null && pod.ofJob()) scope.jobs.add(JobRecord.jobKey(pod.deploymentKey()));
            else if (pod != null) scope.deployments.add(pod.deploymentKey());
            else forgotten = true;
        }
        if (forgotten) {
            for (DeploymentRecord d : state.deployments().values()) {
                if (d.rollout().strategy().recreates() && state.livePodsOf(d.key()).size() < d.replicas()) scope.deployments.add(d.key());
            }
        }
        return scope;
    }

    /**
     * The deployments whose last status is not a finished rollout: no status yet, not every replica updated and
     * available, or pods to spare; but not those paused once their status says so (time moves nothing there).
     * A steady cluster has none.
     */
    public static ReconcileScope rollingOut(ControllerState state) {
        SortedSet<String> deployments = new TreeSet<>();
        for (DeploymentRecord d : state.deployments().values()) {
            var s = d.status();
            if (d.rollout().paused() && s != null && s.condition(dev.berth.bus.contract.DeploymentCondition.PROGRESSING) != null
                    && DeploymentStatuses.DEPLOYMENT_PAUSED.equals(s.condition(dev.berth.bus.contract.DeploymentCondition.PROGRESSING).reason())) {
                continue;
            }
            if (s == null || s.replicas() != d.replicas() || s.updatedReplicas() != d.replicas() || s.availableReplicas() != d.replicas()
                    || s.observedGeneration() != d.generation()) {
                deployments.add(d.key());
            }
        }
        return new ReconcileScope(false, deployments, Collections.emptySortedSet(), JobController.waitingForTime(state));
    }

    public boolean isEmpty() { return !everything && deployments.isEmpty() && nodes.isEmpty() && jobs.isEmpty(); }

    /**
     * What is left from the owner {@code last} (a deployment key, or a Job's owner key) on, in {@code state}; no nodes.
     * Deployments go before Jobs, so a stop in a Job leaves only Jobs.
     */
    ReconcileScope from(String last, ControllerState state) {
        if (JobRecord.isJobOwnerKey(last)) {
            return new ReconcileScope(false, new TreeSet<>(), Collections.emptySortedSet(), new TreeSet<>(jobs(state).tailSet(JobRecord.jobKey(last))));
        }
        return new ReconcileScope(false, new TreeSet<>(deployments(state).tailSet(last)), Collections.emptySortedSet(), new TreeSet<>(jobs(state)));
    }

    /** The deployments to reconcile in {@code state}, sorted; with everything, those that exist or still have pods. */
    SortedSet<String> deployments(ControllerState state) {
        if (!everything) return deployments;
        SortedSet<String> all = new TreeSet<>(state.deployments().keySet());
        for (String owner : state.deploymentsWithPods()) if (!JobRecord.isJobOwnerKey(owner)) all.add(owner);
        return all;
    }

    /** The Jobs (by key) to reconcile in {@code state}, sorted; with everything, those that exist or still have pods. */
    SortedSet<String> jobs(ControllerState state) {
        if (!everything) return jobs;
        SortedSet<String> all = new TreeSet<>(state.jobs().keySet());
        for (String owner : state.deploymentsWithPods()) if (JobRecord.isJobOwnerKey(owner)) all.add(JobRecord.jobKey(owner));
        return all;
    }

    /** The nodes to check for draining in {@code state}, sorted. */
    Iterable<String> nodes(ControllerState state) { return everything ? state.nodes().keySet() : nodes; }

    private static void addIfPresent(SortedSet<String> names, String name) {
        if (name != null) names.add(name);
    }

    @Override
    public String toString() { return everything ? "everything" : "deployments " + deployments + ", nodes " + nodes + (jobs.isEmpty() ? "" : ", jobs " + jobs); }
}
