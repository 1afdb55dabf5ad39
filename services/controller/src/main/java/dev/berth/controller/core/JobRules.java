package dev.berth.controller.core;

import dev.berth.bus.Limits;
import dev.berth.bus.contract.JobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;

/** What a Job must be to be accepted, in Kubernetes' words where it has them (batch/v1 validation). */
public final class JobRules {
    private JobRules() {}

    /** Every problem of a whole Job; empty when it may be applied. */
    public static List<String> check(JobSpec spec, SortedSet<String> knownImages) {
        if (spec == null) return List.of("job is required");
        List<String> problems = new ArrayList<>();
        for (String p : DeploymentRules.name(spec.name())) problems.add(p.replace("pod names add 6", "pod names add 6 (<job>-xxxxx)"));
        problems.addAll(NamespaceRules.name(spec.namespace()));
        problems.addAll(DeploymentRules.template(spec.template(), knownImages));
        if (spec.template() != null && !List.of(JobSpec.NEVER, JobSpec.ON_FAILURE).contains(spec.template().restartPolicy())) {
            problems.add("spec.template.spec.restartPolicy: Unsupported value: \"" + Limits.excerpt(spec.template().restartPolicy(), 80)
                    + "\": supported values: \"OnFailure\", \"Never\"");
        }
        problems.addAll(nonNegative("spec.completions", spec.completions(), Limits.JOB_COMPLETIONS_MAX));
        problems.addAll(nonNegative("spec.parallelism", spec.parallelism(), Limits.JOB_COMPLETIONS_MAX));
        problems.addAll(nonNegative("spec.backoffLimit", spec.backoffLimit(), Limits.JOB_BACKOFF_LIMIT_MAX));
        if (spec.activeDeadlineSeconds() != null && (spec.activeDeadlineSeconds() <= 0 || spec.activeDeadlineSeconds() > Limits.JOB_SECONDS_MAX)) {
            problems.add("spec.activeDeadlineSeconds: Invalid value: " + spec.activeDeadlineSeconds() + ": must be greater than 0 and at most "
                    + Limits.JOB_SECONDS_MAX);
        }
        problems.addAll(nonNegative("spec.ttlSecondsAfterFinished", spec.ttlSecondsAfterFinished(), Limits.JOB_SECONDS_MAX));
        problems.addAll(DeploymentRules.labels("metadata.labels", spec.labels()));
        if (spec.template() != null) problems.addAll(DeploymentRules.labels("spec.template.metadata.labels", spec.template().labels()));
        return problems;
    }

    /** Kubernetes' "must be greater than or equal to 0", and Berth's bound. */
    private static List<String> nonNegative(String field, Integer value, int max) {
        if (value == null) return List.of();
        if (value < 0) return List.of(field + ": Invalid value: " + value + ": must be greater than or equal to 0");
        if (value > max) return List.of(field + ": Invalid value: " + value + ": must be at most " + max);
        return List.of();
    }

    /** What an update may not change, as Kubernetes: the template and completions (parallelism, deadlines, ttl and backoffLimit may). */
    public static List<String> update(JobSpec before, JobSpec after) {
        List<String> problems = new ArrayList<>();
        if (!Objects.equals(before.template(), after.template())) problems.add("spec.template: Invalid value: the pod template: field is immutable");
        if (!Objects.equals(before.completions(), after.completions())) {
            problems.add("spec.completions: Invalid value: " + after.completions() + ": field is immutable");
        }
        return problems;
    }
}
