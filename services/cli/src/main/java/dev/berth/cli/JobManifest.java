package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.contract.JobSpec;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.cli.DeploymentManifest.InvalidManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code batch/v1} Job manifest. The pod template is read as a Deployment's; a template without restartPolicy
 * gets Kubernetes' pod default, Always, which the controller then refuses in the API server's words (a Job takes Never
 * or OnFailure). Ranges are the controller's to judge; this only reads shapes.
 */
final class JobManifest {
    private JobManifest() {}

    static final String KIND = "Job";
    static final String API_VERSION = "batch/v1";

    record Parsed(JobSpec job, List<String> ignored, String namespace) {
        JobSpec in(String flag) throws InvalidManifest { return job.inNamespace(DeploymentManifest.namespaceFor(namespace, flag)); }
    }

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA = Set.of("name", "labels", "namespace", "annotations");
    private static final Set<String> SPEC = Set.of("template", "completions", "parallelism", "backoffLimit", "activeDeadlineSeconds",
            "ttlSecondsAfterFinished", "selector", "manualSelector");

    static Parsed parse(JsonNode root) throws InvalidManifest {
        if (!API_VERSION.equals(root.path("apiVersion").asText())) {
            throw new InvalidManifest("apiVersion is '" + root.path("apiVersion").asText() + "': expected " + API_VERSION);
        }
        List<String> ignored = new ArrayList<>();
        DeploymentManifest.unsupported(root, "", TOP, ignored);
        DeploymentManifest.unsupported(root.path("metadata"), "metadata", METADATA, ignored);
        JsonNode spec = root.path("spec");
        DeploymentManifest.unsupported(spec, "spec", SPEC, ignored);
        // Kubernetes generates the selector from the Job's uid; one given by hand (manualSelector) is not honoured.
        if (spec.has("selector")) ignored.add("spec.selector: not supported by Berth, ignored (pods are selected by controller-uid)");
        if (spec.has("manualSelector")) ignored.add("spec.manualSelector: not supported by Berth, ignored");
        JsonNode name = root.path("metadata").path("name");
        if (!name.isTextual() || name.asText().isBlank()) throw new InvalidManifest("metadata.name is required");
        PodTemplate template = DeploymentManifest.template(spec, "Always", ignored);
        Map<String, String> labels = DeploymentManifest.labels(root.path("metadata").path("labels"), "metadata.labels");
        Map<String, String> annotations = RolloutManifest.annotations(root.path("metadata").path("annotations"), "metadata.annotations");
        String namespace = DeploymentManifest.namespaceOf(root);
        Long deadline = whole(spec, "activeDeadlineSeconds");
        JobSpec job = new JobSpec(name.asText(), null, template, integer(spec, "completions"), integer(spec, "parallelism"),
                integer(spec, "backoffLimit"), deadline, integer(spec, "ttlSecondsAfterFinished"), labels, annotations);
        return new Parsed(job, ignored, namespace);
    }

    /** An optional whole number; null when absent. */
    private static Long whole(JsonNode spec, String field) throws InvalidManifest {
        JsonNode n = spec.path(field);
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong()) throw new InvalidManifest("spec." + field + ": expected a whole number");
        return n.asLong();
    }

    private static Integer integer(JsonNode spec, String field) throws InvalidManifest {
        Long v = whole(spec, field);
        if (v == null) return null;
        if (v != v.intValue()) throw new InvalidManifest("spec." + field + ": Invalid value: " + v + ": out of range");
        return v.intValue();
    }
}
