package dev.berth.controller.core;

import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One deployment's pods against its spec, as Kubernetes' deployment controller rolls out (pkg/controller/deployment),
 * with pods in place of ReplicaSets: the pods whose template equals the deployment's are the "new ReplicaSet", the
 * others the old ones (oldest revision first).
 * <ul>
 *   <li>RollingUpdate ({@link #rolling}): reconcileNewReplicaSet (grow the new pods up to replicas within
 *       replicas + maxSurge pods in all), then reconcileOldReplicaSets (first the old pods that are not available,
 *       then available ones, never below replicas − maxUnavailable available), repeated until nothing changes, so a
 *       reconcile of its own result decides nothing;</li>
 *   <li>Recreate ({@link #recreate}): every old pod goes; new pods come only once no old pod is left, including
 *       those being deleted that have not stopped;</li>
 *   <li>paused ({@link #scaleOnly}): no rollout progress; a scale still applies, to the pods as they are.</li>
 * </ul>
 * Decisions go to a {@link Plan}: it names pods, counts the creation burst and words the deletions.
 */
final class Rollouts {
    private Rollouts() {}

    /** What the reconciler does for a deployment: create pods of a template, delete pods with a reason. */
    interface Plan {
        /** Creates up to {@code n} pods of {@code template} for {@code revision}; returns how many it could (the burst limit). */
        int create(int n, PodTemplate template, long revision);

        void delete(PodRecord pod, String reason);
    }

    /** Among pods of one revision: not running first, then not ready, then the newest (Kubernetes' ActivePods ranking, simplified). */
    static final Comparator<PodRecord> DELETION_ORDER = Comparator
            .comparing(PodRecord::isRunning)
            .thenComparing(PodRecord::ready)
            .thenComparing(Comparator.comparingLong(PodRecord::serial).reversed());

    /** Old pods: the oldest revision first (Kubernetes scales the oldest ReplicaSets down first), then {@link #DELETION_ORDER}. */
    static final Comparator<PodRecord> OLD_FIRST = Comparator.comparingLong(PodRecord::revision).thenComparing(DELETION_ORDER);

    static void reconcile(DeploymentRecord d, List<PodRecord> live, List<PodRecord> all, Instant now, Plan plan) {
        if (d.rollout().paused()) scaleOnly(d, live, now, plan);
        else if (d.rollout().strategy().recreates()) recreate(d, live, all, plan);
        else rolling(d, live, now, plan);
    }

    static String replaced(DeploymentRecord d) { return "replaced: deployment " + d.name() + " rolled out revision " + d.revision(); }

    static String scaledDown(DeploymentRecord d) { return "scaled down to " + Verdicts.replicas(d.replicas()); }

    static void rolling(DeploymentRecord d, List<PodRecord> live, Instant now, Plan plan) {
        int replicas = d.replicas();
        int minReady = d.rollout().minReadySeconds();
        int maxTotal = replicas + d.rollout().strategy().surge(replicas);
        int minAvailable = replicas - d.maxUnavailable();
        List<PodRecord> fresh = new ArrayList<>();
        List<PodRecord> old = new ArrayList<>();
        for (PodRecord p : live) (p.template().equals(d.template()) ? fresh : old).add(p);
        int pending = 0; // created in this decision
        for (int round = 0; round < 2 * live.size() + replicas + 2; round++) {
            boolean changed = false;
            // reconcileNewReplicaSet
            int newCount = fresh.size() + pending;
            if (newCount > replicas) {
                fresh.sort(DELETION_ORDER);
                int excess = Math.min(newCount - replicas, fresh.size());
                for (int i = 0; i < excess; i++) plan.delete(fresh.get(i), scaledDown(d));
                fresh = new ArrayList<>(fresh.subList(excess, fresh.size()));
                changed = excess > 0;
            } else if (newCount < replicas) {
                int total = fresh.size() + pending + old.size();
                int up = Math.min(maxTotal - total, replicas - newCount);
                if (up > 0) {
                    int made = plan.create(up, d.template(), d.revision());
                    pending += made;
                    changed = made > 0;
                }
            }
            // reconcileOldReplicaSets
            if (!old.isEmpty()) {
                int freshAvailable = count(fresh, minReady, now);
                int newUnavailable = fresh.size() + pending - freshAvailable;
                int maxScaledDown = fresh.size() + pending + old.size() - minAvailable - newUnavailable;
                if (maxScaledDown > 0) {
                    old.sort(OLD_FIRST);
                    // cleanupUnhealthyReplicas: old pods that are not available go first, within maxScaledDown
                    int cleaned = 0;
                    List<PodRecord> kept = new ArrayList<>(old.size());
                    for (PodRecord p : old) {
                        if (cleaned < maxScaledDown && !p.available(minReady, now)) {
                            plan.delete(p, replaced(d));
                            cleaned++;
                        } else {
                            kept.add(p);
                        }
                    }
                    old = kept;
                    // scaleDownOldReplicaSetsForRollingUpdate: available ones, keeping minAvailable
                    int available = freshAvailable + count(old, minReady, now);
                    int down = Math.max(0, Math.min(available - minAvailable, old.size()));
                    for (int i = 0; i < down; i++) plan.delete(old.get(i), replaced(d));
                    old = new ArrayList<>(old.subList(down, old.size()));
                    changed |= cleaned > 0 || down > 0;
                }
            }
            if (!changed) return;
        }
    }

    static void recreate(DeploymentRecord d, List<PodRecord> live, List<PodRecord> all, Plan plan) {
        List<PodRecord> fresh = new ArrayList<>();
        for (PodRecord p : live) {
            if (p.template().equals(d.template())) fresh.add(p);
            else plan.delete(p, replaced(d));
        }
        // An old pod still runs while a node may run it: reported and not ended (one never reported goes at once).
        for (PodRecord p : all) {
            if (!p.template().equals(d.template()) && stillRuns(p)) return; // new pods once every old one has stopped
        }
        scaleTo(d, fresh, d.template(), d.revision(), plan);
    }

    /**
     * Paused: the pods stay as they are, but a scale applies. Kubernetes scales its one active ReplicaSet (or
     * proportionally across several); Berth grows the newest pods' template and shrinks the oldest revision first.
     */
    static void scaleOnly(DeploymentRecord d, List<PodRecord> live, Instant now, Plan plan) {
        int minReady = d.rollout().minReadySeconds();
        if (live.size() > d.replicas()) {
            List<PodRecord> order = new ArrayList<>(live);
            order.sort(Comparator.comparing((PodRecord p) -> p.available(minReady, now)).thenComparing(OLD_FIRST));
            for (int i = 0; i < live.size() - d.replicas(); i++) plan.delete(order.get(i), scaledDown(d));
        } else if (live.size() < d.replicas()) {
            PodRecord newest = live.stream().max(Comparator.comparingLong(PodRecord::serial)).orElse(null);
            PodTemplate template = newest == null ? d.template() : newest.template();
            long revision = newest == null ? d.revision() : template.equals(d.template()) ? d.revision() : newest.revision();
            plan.create(d.replicas() - live.size(), template, revision);
        }
    }

    private static void scaleTo(DeploymentRecord d, List<PodRecord> pods, PodTemplate template, long revision, Plan plan) {
        int excess = pods.size() - d.replicas();
        if (excess > 0) {
            pods.sort(DELETION_ORDER);
            for (int i = 0; i < excess; i++) plan.delete(pods.get(i), scaledDown(d));
        } else if (excess < 0) {
            plan.create(-excess, template, revision);
        }
    }

    private static boolean stillRuns(PodRecord p) { return p.state() != null && !p.state().isTerminal(); }

    static int count(List<PodRecord> pods, int minReadySeconds, Instant now) {
        int n = 0;
        for (PodRecord p : pods) if (p.available(minReadySeconds, now)) n++;
        return n;
    }
}
