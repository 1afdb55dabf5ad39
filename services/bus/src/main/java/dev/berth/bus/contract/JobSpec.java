package dev.berth.bus.contract;

import java.util.Map;

/**
 * Desired state of one {@code batch/v1} Job: run pods of {@code template} until {@code completions} of them succeeded,
 * at most {@code parallelism} at a time, giving up after {@code backoffLimit} failures or {@code activeDeadlineSeconds}.
 *
 * @param completions             successful pods needed; absent: 1 (Kubernetes' work-queue mode, completions unset with
 *                                parallelism set, is not supported: Berth takes it as 1)
 * @param parallelism             pods running at once, at most the completions still missing; absent: 1; 0 suspends
 * @param backoffLimit            failures (failed pods, and container restarts under OnFailure) before the Job fails with
 *                                BackoffLimitExceeded; absent: 6
 * @param activeDeadlineSeconds   how long the Job may run from its start before it fails with DeadlineExceeded; absent: no limit
 * @param ttlSecondsAfterFinished once Complete or Failed, the Job and its pods are deleted after this many seconds; absent: kept
 * @param labels                  the Job's {@code metadata.labels}
 * @param annotations             the Job's {@code metadata.annotations}
 */
public record JobSpec(String name, String namespace, PodTemplate template, Integer completions, Integer parallelism,
                      Integer backoffLimit, Long activeDeadlineSeconds, Integer ttlSecondsAfterFinished,
                      Map<String, String> labels, Map<String, String> annotations) {
    public static final int DEFAULT_BACKOFF_LIMIT = 6;
    public static final String NEVER = "Never";
    public static final String ON_FAILURE = "OnFailure";
    /** The pod labels Kubernetes' job controller sets. */
    public static final String JOB_NAME_LABEL = "job-name";
    public static final String BATCH_JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    public static final String CONTROLLER_UID_LABEL = "controller-uid";
    public static final String BATCH_CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

    public JobSpec {
        namespace = Namespaces.orDefault(namespace);
        completions = completions == null ? 1 : completions;
        parallelism = parallelism == null ? 1 : parallelism;
        backoffLimit = backoffLimit == null ? DEFAULT_BACKOFF_LIMIT : backoffLimit;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** A Job with Kubernetes' defaults but for completions and parallelism. */
    public JobSpec(String name, String namespace, PodTemplate template, int completions, int parallelism) {
        this(name, namespace, template, completions, parallelism, null, null, null, null, null);
    }

    /** Its {@link Namespaces#key}: the bare name in default, else namespace/name. */
    public String key() { return Namespaces.key(namespace, name); }

    public JobSpec inNamespace(String ns) {
        return new JobSpec(name, ns, template, completions, parallelism, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, labels, annotations);
    }

    public JobSpec withTemplate(PodTemplate t) {
        return new JobSpec(name, namespace, t, completions, parallelism, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, labels, annotations);
    }

    public JobSpec withLimits(Integer backoff, Long deadlineSeconds, Integer ttlSeconds) {
        return new JobSpec(name, namespace, template, completions, parallelism, backoff, deadlineSeconds, ttlSeconds, labels, annotations);
    }
}
