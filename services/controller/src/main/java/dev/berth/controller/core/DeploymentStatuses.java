package dev.berth.controller.core;

import dev.berth.bus.contract.DeploymentCondition;
import dev.berth.bus.contract.DeploymentStatusChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A deployment's status as Kubernetes' deployment controller computes it (sync.go calculateStatus, progress.go
 * syncRolloutStatus), from its live pods and the status last published, at {@code now}. Berth has no ReplicaSets:
 * the messages name the deployment's revision where Kubernetes names the new ReplicaSet.
 */
public final class DeploymentStatuses {
    private DeploymentStatuses() {}

    public static final String TRUE = "True", FALSE = "False", UNKNOWN = "Unknown";
    public static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
    public static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
    public static final String NEW_REPLICA_SET_CREATED = "NewReplicaSetCreated";
    public static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
    public static final String NEW_REPLICA_SET_AVAILABLE = "NewReplicaSetAvailable";
    public static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";
    public static final String DEPLOYMENT_PAUSED = "DeploymentPaused";
    public static final String DEPLOYMENT_RESUMED = "DeploymentResumed";

    /**
     * The statuses to publish for {@code d}: none when the next one differs from the last published only in its times.
     * A resume publishes DeploymentResumed first, as Kubernetes writes it before the sync that rolls on.
     */
    public static List<DeploymentStatusChanged> changed(DeploymentRecord d, List<PodRecord> live, Instant now) {
        List<DeploymentStatusChanged> out = new ArrayList<>(2);
        DeploymentCondition progressing = d.status() == null ? null : d.status().condition(DeploymentCondition.PROGRESSING);
        if (!d.rollout().paused() && progressing != null && DEPLOYMENT_PAUSED.equals(progressing.reason())) {
            // Only the condition changes, as Kubernetes' checkPausedConditions writes it: the counts are the last ones.
            DeploymentStatusChanged s = d.status(), counted = next(d, live, now, true);
            DeploymentStatusChanged resumed = new DeploymentStatusChanged(s.name(), s.namespace(), s.observedGeneration(), s.revision(),
                    s.replicas(), s.updatedReplicas(), s.readyReplicas(), s.availableReplicas(), s.unavailableReplicas(),
                    List.of(s.condition(DeploymentCondition.AVAILABLE) == null ? counted.condition(DeploymentCondition.AVAILABLE)
                            : s.condition(DeploymentCondition.AVAILABLE), counted.condition(DeploymentCondition.PROGRESSING)));
            out.add(resumed);
            d = d.withStatus(resumed);
        }
        DeploymentStatusChanged next = next(d, live, now, false);
        if (d.status() == null || !withoutTimes(next).equals(withoutTimes(d.status()))) out.add(next);
        return out;
    }

    /** The status of {@code d} with these live pods at {@code now}. */
    public static DeploymentStatusChanged next(DeploymentRecord d, List<PodRecord> live, Instant now) { return next(d, live, now, false); }

    /** {@code onlyResume}: the status checkPausedConditions writes, before any progress is estimated. */
    private static DeploymentStatusChanged next(DeploymentRecord d, List<PodRecord> live, Instant now, boolean onlyResume) {
        int minReady = d.rollout().minReadySeconds();
        int replicas = live.size(), updated = 0, ready = 0, available = 0;
        for (PodRecord p : live) {
            if (p.template().equals(d.template())) updated++;
            if (p.isRunning() && p.ready()) ready++;
            if (p.available(minReady, now)) available++;
        }
        int unavailable = Math.max(0, d.replicas() - available);
        DeploymentStatusChanged before = d.status();
        List<DeploymentCondition> conditions = new ArrayList<>(before == null ? List.of() : before.conditions());

        boolean minimum = available >= d.replicas() - d.maxUnavailable();
        set(conditions, minimum
                ? condition(DeploymentCondition.AVAILABLE, TRUE, MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", now)
                : condition(DeploymentCondition.AVAILABLE, FALSE, MINIMUM_REPLICAS_UNAVAILABLE, "Deployment does not have minimum availability.", now));

        DeploymentStatusChanged counted = new DeploymentStatusChanged(d.name(), d.namespace(), d.generation(), d.revision(),
                replicas, updated, ready, available, unavailable, List.of());
        progressing(d, before, counted, conditions, now, onlyResume);
        conditions.sort(java.util.Comparator.comparing(c -> DeploymentCondition.AVAILABLE.equals(c.type()) ? 0 : 1));
        return new DeploymentStatusChanged(d.name(), d.namespace(), d.generation(), d.revision(), replicas, updated, ready,
                available, unavailable, conditions);
    }

    /** checkPausedConditions, the new revision's NewReplicaSetCreated, then syncRolloutStatus. */
    private static void progressing(DeploymentRecord d, DeploymentStatusChanged before, DeploymentStatusChanged now_,
                                    List<DeploymentCondition> conditions, Instant now, boolean onlyResume) {
        String type = DeploymentCondition.PROGRESSING;
        DeploymentCondition current = find(conditions, type);
        boolean pausedShown = current != null && DEPLOYMENT_PAUSED.equals(current.reason());
        if (d.rollout().paused()) {
            if (!pausedShown) set(conditions, condition(type, UNKNOWN, DEPLOYMENT_PAUSED, "Deployment is paused", now));
            return; // no progress is estimated while paused
        }
        if (pausedShown) set(conditions, condition(type, UNKNOWN, DEPLOYMENT_RESUMED, "Deployment is resumed", now));
        if (onlyResume) return;
        String name = "Deployment \"" + d.name() + "\" revision " + d.revision();
        if (before == null || before.revision() != d.revision()) {
            // Kubernetes' new ReplicaSet has no pods to count yet in the sync that creates it: nothing to estimate.
            set(conditions, condition(type, TRUE, NEW_REPLICA_SET_CREATED, name + " is created.", now));
            return;
        }
        current = find(conditions, type);
        boolean complete = now_.replicas() == now_.updatedReplicas() && current != null && NEW_REPLICA_SET_AVAILABLE.equals(current.reason());
        if (complete) return;
        if (complete(d, now_)) {
            set(conditions, condition(type, TRUE, NEW_REPLICA_SET_AVAILABLE, name + " has successfully progressed.", now));
        } else if (progressed(before, now_)) {
            // Progress renews lastUpdateTime even with the same reason: the deadline counts from the last progress.
            Instant transition = current != null && TRUE.equals(current.status()) ? current.lastTransitionTime() : now;
            conditions.remove(current);
            conditions.add(new DeploymentCondition(type, TRUE, REPLICA_SET_UPDATED, name + " is progressing.", now, transition));
        } else if (timedOut(d, current, now)) {
            set(conditions, condition(type, FALSE, PROGRESS_DEADLINE_EXCEEDED, name + " has timed out progressing.", now));
        }
    }

    /** DeploymentComplete: every replica updated and available, no old pod left. */
    static boolean complete(DeploymentRecord d, DeploymentStatusChanged s) {
        return s.updatedReplicas() == d.replicas() && s.replicas() == d.replicas() && s.availableReplicas() == d.replicas();
    }

    /** DeploymentProgressing: more updated, ready or available pods, or fewer old ones, than last published. */
    static boolean progressed(DeploymentStatusChanged before, DeploymentStatusChanged now) {
        return now.updatedReplicas() > before.updatedReplicas() || now.readyReplicas() > before.readyReplicas()
                || now.availableReplicas() > before.availableReplicas()
                || before.replicas() - before.updatedReplicas() > now.replicas() - now.updatedReplicas();
    }

    /** DeploymentTimedOut: no progress for progressDeadlineSeconds since the condition's lastUpdateTime. */
    static boolean timedOut(DeploymentRecord d, DeploymentCondition progressing, Instant now) {
        if (progressing == null || NEW_REPLICA_SET_AVAILABLE.equals(progressing.reason())) return false;
        if (PROGRESS_DEADLINE_EXCEEDED.equals(progressing.reason())) return true;
        if (progressing.lastUpdateTime() == null) return false;
        return progressing.lastUpdateTime().plusSeconds(d.rollout().progressDeadlineSeconds()).isBefore(now);
    }

    private static DeploymentCondition condition(String type, String status, String reason, String message, Instant now) {
        return new DeploymentCondition(type, status, reason, message, now, now);
    }

    /**
     * SetDeploymentCondition: the same status, reason (and, as Berth's messages name the revision, message) keeps the
     * condition as it is; the same status keeps its transition time.
     */
    private static void set(List<DeploymentCondition> conditions, DeploymentCondition c) {
        DeploymentCondition current = find(conditions, c.type());
        if (current != null && current.status().equals(c.status()) && current.reason().equals(c.reason())
                && current.message().equals(c.message())) return;
        if (current != null && current.status().equals(c.status())) {
            c = new DeploymentCondition(c.type(), c.status(), c.reason(), c.message(), c.lastUpdateTime(), current.lastTransitionTime());
        }
        conditions.remove(current);
        conditions.add(c);
    }

    private static DeploymentCondition find(List<DeploymentCondition> conditions, String type) {
        for (DeploymentCondition c : conditions) if (c.type().equals(type)) return c;
        return null;
    }

    /** The status with its conditions' times left out: what decides whether it is news. */
    static DeploymentStatusChanged withoutTimes(DeploymentStatusChanged s) {
        List<DeploymentCondition> bare = s.conditions().stream()
                .map(c -> new DeploymentCondition(c.type(), c.status(), c.reason(), c.message(), null, null)).toList();
        return new DeploymentStatusChanged(s.name(), s.namespace(), s.observedGeneration(), s.revision(), s.replicas(),
                s.updatedReplicas(), s.readyReplicas(), s.availableReplicas(), s.unavailableReplicas(), bare);
    }
}
