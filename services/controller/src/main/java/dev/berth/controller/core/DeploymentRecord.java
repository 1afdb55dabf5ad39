package dev.berth.controller.core;

import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.util.List;

/**
 * A deployment as desired now; {@code generation} counts changes to it (1 when created).
 *
 * @param revision          the number of its current template ({@link dev.berth.bus.contract.DeploymentApplied#revision})
 * @param revisionCreatedAt when the current revision was first applied
 * @param history           older revisions, oldest first, at most revisionHistoryLimit of them
 * @param status            the status last published for it on berth.deployments; null before the first
 */
public record DeploymentRecord(DeploymentSpec spec, long generation, long revision, Instant revisionCreatedAt,
                               List<Revision> history, DeploymentStatusChanged status) {
    public DeploymentRecord {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A deployment without revisions (older callers). */
    public DeploymentRecord(DeploymentSpec spec, long generation) { this(spec, generation, 0, null, null, null); }

    public String name() { return spec.name(); }
    public String namespace() { return spec.namespace(); }
    /** Its {@link dev.berth.bus.contract.Namespaces#key}: how the controller indexes it. */
    public String key() { return spec.key(); }
    public int replicas() { return spec.replicas(); }
    public PodTemplate template() { return spec.template(); }
    public DeploymentSpec.Rollout rollout() { return spec.rollout(); }

    public DeploymentRecord withSpec(DeploymentSpec s, long g) { return new DeploymentRecord(s, g, revision, revisionCreatedAt, history, status); }

    public DeploymentRecord withStatus(DeploymentStatusChanged s) { return new DeploymentRecord(spec, generation, revision, revisionCreatedAt, history, s); }

    /**
     * The revision {@code template} gets when applied: the current one's number when it is the current template,
     * else the next number (a rollback to an older revision's template too, as Kubernetes renumbers its ReplicaSet).
     */
    public long revisionFor(PodTemplate template) {
        if (revision > 0 && template.equals(spec.template())) return revision;
        long max = revision;
        for (Revision r : history) max = Math.max(max, r.number());
        return max + 1;
    }

    /** Pods Kubernetes lets be missing: maxUnavailable for RollingUpdate (at most the replicas), 0 for Recreate. */
    public int maxUnavailable() {
        if (spec.rollout().strategy().recreates() || replicas() == 0) return 0;
        return Math.min(spec.rollout().strategy().unavailable(replicas()), replicas());
    }
}
