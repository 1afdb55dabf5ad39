package dev.berth.node.runtime;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to run. One container per pod, so the container id is the pod name.
 *
 * @param id          DNS-1123 label (≤ 63 chars): also the runc container id and the cgroup leaf name
 * @param image       image name in the {@link ImageStore}
 * @param argv        command + args already combined; empty means {@code sh}
 * @param env         extra environment; may override PATH/HOSTNAME
 * @param cpuMillis   CPU limit in millicores, 0 = unlimited
 * @param memoryBytes memory limit in bytes, 0 = unlimited
 * @param pidsLimit   max tasks in the container; ≤ 0 means {@link #DEFAULT_PIDS_LIMIT}
 * @param hostname    UTS hostname; null/blank means the id
 * @param annotations OCI annotations: kept in runc's state, so whoever finds the container later can read them
 */
public record ContainerSpec(String id, String image, List<String> argv, Map<String, String> env,
                            long cpuMillis, long memoryBytes, long pidsLimit, String hostname,
                            Map<String, String> annotations) {

    public static final long DEFAULT_PIDS_LIMIT = 256;
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public ContainerSpec {
        Objects.requireNonNull(id, "id");
        if (id.length() > 63 || !DNS1123_LABEL.matcher(id).matches()) {
            throw new IllegalArgumentException("container id must be a DNS-1123 label (≤63 chars): " + id);
        }
        if (image == null || image.isBlank()) throw new IllegalArgumentException("image is required");
        if (cpuMillis < 0 || memoryBytes < 0) throw new IllegalArgumentException("limits must be ≥ 0");
        argv = argv == null || argv.isEmpty() ? List.of("sh") : List.copyOf(argv);
        // Sorted so the generated config.json is deterministic.
        env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
        pidsLimit = pidsLimit <= 0 ? DEFAULT_PIDS_LIMIT : pidsLimit;
        hostname = hostname == null || hostname.isBlank() ? id : hostname;
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
    }

    /** A spec with no limits except the default pids limit. */
    public static ContainerSpec of(String id, String image, List<String> argv) {
        return new ContainerSpec(id, image, argv, Map.of(), 0, 0, 0, null, Map.of());
    }

    public ContainerSpec withLimits(long cpuMillis, long memoryBytes) {
        return new ContainerSpec(id, image, argv, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations);
    }

    public ContainerSpec withEnv(Map<String, String> env) {
        return new ContainerSpec(id, image, argv, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations);
    }

    public ContainerSpec withAnnotations(Map<String, String> annotations) {
        return new ContainerSpec(id, image, argv, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations);
    }
}
