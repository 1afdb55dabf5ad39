package dev.berth.node.runtime;

import dev.berth.bus.contract.SecurityContext;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to run: one container of a pod, whose id is the pod's name (a pod of one container) or {@code pod_container}.
 *
 * @param id              a DNS-1123 label (≤ 63 chars) or two joined by {@code _}: also the runc container id and the cgroup leaf name
 * @param image           image reference as the pod gives it (e.g. {@code busybox}, {@code 127.0.0.1:5000/app:v1})
 * @param command         Kubernetes' {@code command}: replaces the image's Entrypoint; empty keeps it
 * @param env             the pod's environment, over the image's
 * @param cpuMillis       CPU limit in millicores, 0 = unlimited
 * @param memoryBytes     memory limit in bytes, 0 = unlimited
 * @param pidsLimit       max tasks in the container; ≤ 0 means {@link #DEFAULT_PIDS_LIMIT}
 * @param hostname        UTS hostname; null/blank means the id up to its {@code _} (the pod's name)
 * @param annotations     OCI annotations: kept in runc's state, so whoever finds the container later can read them
 * @param args            Kubernetes' {@code args}: replaces the image's Cmd; empty keeps it (unless command is set)
 * @param imagePullPolicy Always, IfNotPresent, Never; null: Kubernetes' default for the reference
 * @param networkNamespace the pod's network namespace (its bind mount, e.g. /run/netns/berth_node_pod) the
 *                         container joins; null: a fresh one with loopback only
 * @param workingDir      Kubernetes' {@code workingDir}: over the image's WorkingDir; null keeps it
 * @param securityContext the user and group over the image's USER, {@code runAsNonRoot}, and what loosens the hardened
 *                        defaults ({@link ContainerSecurity}); null: none
 * @param resolvConf      the container's /etc/resolv.conf (bind-mounted read-only from its bundle); null: the image's
 * @param mounts          the pod's volumes this container mounts, in order
 */
public record ContainerSpec(String id, String image, List<String> command, Map<String, String> env,
                            long cpuMillis, long memoryBytes, long pidsLimit, String hostname,
                            Map<String, String> annotations, List<String> args, String imagePullPolicy,
                            java.nio.file.Path networkNamespace, String workingDir, SecurityContext securityContext,
                            String resolvConf, List<BindMount> mounts) {

    public ContainerSpec(String id, String image, List<String> command, Map<String, String> env,
                         long cpuMillis, long memoryBytes, long pidsLimit, String hostname,
                         Map<String, String> annotations, List<String> args, String imagePullPolicy,
                         java.nio.file.Path networkNamespace, String workingDir, SecurityContext securityContext,
                         String resolvConf) {
        this(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy,
                networkNamespace, workingDir, securityContext, resolvConf, null);
    }

    public ContainerSpec(String id, String image, List<String> command, Map<String, String> env,
                         long cpuMillis, long memoryBytes, long pidsLimit, String hostname,
                         Map<String, String> annotations, List<String> args, String imagePullPolicy,
                         java.nio.file.Path networkNamespace) {
        this(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy,
                networkNamespace, null, null, null);
    }

    public ContainerSpec(String id, String image, List<String> command, Map<String, String> env,
                         long cpuMillis, long memoryBytes, long pidsLimit, String hostname,
                         Map<String, String> annotations, List<String> args, String imagePullPolicy) {
        this(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, null);
    }

    public static final long DEFAULT_PIDS_LIMIT = 256;
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    public ContainerSpec {
        Objects.requireNonNull(id, "id");
        if (!validId(id)) {
            throw new IllegalArgumentException("container id must be a DNS-1123 label (≤63 chars), or two joined by '_': " + id);
        }
        if (image == null || image.isBlank()) throw new IllegalArgumentException("image is required");
        if (cpuMillis < 0 || memoryBytes < 0) throw new IllegalArgumentException("limits must be ≥ 0");
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        // Sorted so the generated config.json is deterministic.
        env = env == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(env));
        pidsLimit = pidsLimit <= 0 ? DEFAULT_PIDS_LIMIT : pidsLimit;
        hostname = hostname == null || hostname.isBlank() ? (id.indexOf('_') < 0 ? id : id.substring(0, id.indexOf('_'))) : hostname;
        annotations = annotations == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(annotations));
        workingDir = workingDir == null || workingDir.isEmpty() ? null : workingDir;
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    /** A pod's name, or {@code pod_container} for one container of a pod of several (see the node core's PodContainers). */
    static boolean validId(String id) {
        int at = id.indexOf('_');
        if (at < 0) return label(id);
        return label(id.substring(0, at)) && label(id.substring(at + 1));
    }

    private static boolean label(String s) { return s.length() <= 63 && DNS1123_LABEL.matcher(s).matches(); }

    /** A spec with no limits except the default pids limit; {@code command} replaces the image's Entrypoint. */
    public static ContainerSpec of(String id, String image, List<String> command) {
        return new ContainerSpec(id, image, command, Map.of(), 0, 0, 0, null, Map.of(), List.of(), null);
    }

    /** command + args, for runtimes that do not read an image config (in memory, the raw-runc bench). */
    public List<String> argv() {
        List<String> argv = new java.util.ArrayList<>(command);
        argv.addAll(args);
        return argv.isEmpty() ? List.of("sh") : argv;
    }

    public ContainerSpec withLimits(long cpuMillis, long memoryBytes) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, networkNamespace, workingDir, securityContext, resolvConf, mounts);
    }

    public ContainerSpec withEnv(Map<String, String> env) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, networkNamespace, workingDir, securityContext, resolvConf, mounts);
    }

    public ContainerSpec withAnnotations(Map<String, String> annotations) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, networkNamespace, workingDir, securityContext, resolvConf, mounts);
    }

    public ContainerSpec withArgs(List<String> args) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, networkNamespace, workingDir, securityContext, resolvConf, mounts);
    }

    /** This spec with the pod's volumes mounted (its volumeMounts, resolved to host paths). */
    public ContainerSpec withMounts(List<BindMount> m) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, networkNamespace, workingDir, securityContext, resolvConf, m);
    }

    /** This spec joining the pod's network namespace. */
    public ContainerSpec withNetworkNamespace(java.nio.file.Path netns) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, netns, workingDir, securityContext, resolvConf, mounts);
    }

    /** This spec with its own /etc/resolv.conf (the cluster DNS); null: the image's. */
    public ContainerSpec withResolvConf(String content) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, networkNamespace, workingDir, securityContext, content, mounts);
    }

    public ContainerSpec withImagePullPolicy(String policy) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, policy, networkNamespace, workingDir, securityContext, resolvConf, mounts);
    }

    /** This spec with the pod's workingDir and securityContext over the image's WorkingDir and USER. */
    public ContainerSpec withProcess(String dir, SecurityContext context) {
        return new ContainerSpec(id, image, command, env, cpuMillis, memoryBytes, pidsLimit, hostname, annotations, args, imagePullPolicy, networkNamespace, dir, context, resolvConf, mounts);
    }
}
