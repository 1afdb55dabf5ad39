package dev.berth.node.runtime;

import dev.berth.bus.contract.SecurityContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a container's securityContext and the node's hardened defaults make of its OCI config, decided in one place
 * (docs/security.md): Docker's default capability set changed by {@code capabilities} as containerd's CRI does,
 * no_new_privileges unless {@code allowPrivilegeEscalation: true} or privileged, Docker's default seccomp profile
 * against the final set, Docker's masked and read-only paths; {@code privileged} lifts all of that.
 *
 * @param capabilities  CAP_ names: the bounding, effective and permitted sets (ambient and inheritable stay empty,
 *                      so a non-root process keeps none after exec, as with Docker)
 * @param seccomp       apply the default profile; false only for a privileged container
 */
public record ContainerSecurity(List<String> capabilities, boolean noNewPrivileges, boolean seccomp,
                                boolean readOnlyRootfs, boolean privileged) {

    /**
     * Docker's (and containerd's) default set less CAP_NET_RAW: 13 capabilities, exactly what Kubernetes' Pod Security
     * "baseline" allows. Raw sockets (packet forging, ARP spoofing on the pod network) need {@code capabilities.add: [NET_RAW]}.
     */
    public static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** Docker's masked paths: reads give nothing (/dev/null or an empty read-only tmpfs). */
    public static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    public static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    /** The kubelet's refusal of a privileged container on a node that does not allow them (its canRunPod). */
    static String privilegedRefused(String pod) {
        return "pod \"" + pod + "\" specified privileged container, but is disallowed";
    }

    public ContainerSecurity {
        capabilities = List.copyOf(capabilities);
    }

    /** The hardened default: no securityContext at all. */
    public static final ContainerSecurity DEFAULT = of(null);

    public static ContainerSecurity of(SecurityContext context) {
        return of(context, HostCapabilities.BOUNDING);
    }

    /**
     * @param host the node's own bounding set (CAP_ names): "every capability" is every one the node has, as containerd
     *             reads it from its own /proc/self/status; runc cannot grant more
     */
    public static ContainerSecurity of(SecurityContext context, Set<String> host) {
        List<String> all = prefixed(SecurityContext.Capabilities.LINUX).stream().filter(host::contains).toList();
        if (context != null && Boolean.TRUE.equals(context.privileged())) {
            return new ContainerSecurity(all, false, false,
                    Boolean.TRUE.equals(context.readOnlyRootFilesystem()), true);
        }
        Set<String> caps = new LinkedHashSet<>(DEFAULT_CAPABILITIES);
        SecurityContext.Capabilities change = context == null ? null : context.capabilities();
        if (change != null) {
            // containerd's WithCapabilities: ALL first, so that {add: [ALL], drop: [CHOWN]} is all but CHOWN
            if (change.add().contains(SecurityContext.Capabilities.ALL)) caps.addAll(all);
            if (change.drop().contains(SecurityContext.Capabilities.ALL)) caps.clear();
            for (String c : change.add()) if (!c.equals(SecurityContext.Capabilities.ALL)) caps.add("CAP_" + c);
            for (String c : change.drop()) caps.remove("CAP_" + c);
        }
        boolean escalation = context != null && Boolean.TRUE.equals(context.allowPrivilegeEscalation());
        boolean readOnly = context != null && Boolean.TRUE.equals(context.readOnlyRootFilesystem());
        return new ContainerSecurity(new ArrayList<>(caps), !escalation, true, readOnly, false);
    }

    /**
     * Why the node refuses this container, if it does: privileged where the node does not allow it.
     *
     * @param id the runtime id: the pod's name, or {@code pod_container}
     */
    public static Optional<String> refusal(String id, SecurityContext context, boolean privilegedAllowed) {
        if (context != null && Boolean.TRUE.equals(context.privileged()) && !privilegedAllowed) {
            return Optional.of(privilegedRefused(podOf(id)));
        }
        return Optional.empty();
    }

    /**
     * The kubelet's ending of a runAsNonRoot refusal, {@code (pod: "NAME", container: NAME)}. Berth's pods have no UID
     * and the runtime id no namespace, so the pod is its name; a pod of one container names the container as the pod.
     */
    public static String who(String id) {
        int at = id.indexOf('_');
        return " (pod: \"" + podOf(id) + "\", container: " + (at < 0 ? id : id.substring(at + 1)) + ")";
    }

    private static String podOf(String id) {
        int at = id.indexOf('_');
        return at < 0 ? id : id.substring(0, at);
    }

    /** The node's bounding set, read once from /proc/self/status (every capability if unreadable: runc then says). */
    static final class HostCapabilities {
        static final Set<String> BOUNDING = read();

        private HostCapabilities() {
        }

        static Set<String> read() {
            try {
                for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                    if (line.startsWith("CapBnd:")) return decode(Long.parseUnsignedLong(line.substring(7).strip(), 16));
                }
            } catch (java.io.IOException | RuntimeException e) {
                // not Linux, or no /proc: fall through
            }
            return Set.copyOf(prefixed(SecurityContext.Capabilities.LINUX));
        }

        /** CAP_ names of the bits of a kernel capability mask (bit n is capability n, LINUX's order). */
        static Set<String> decode(long mask) {
            Set<String> out = new LinkedHashSet<>();
            List<String> names = SecurityContext.Capabilities.LINUX;
            for (int bit = 0; bit < names.size(); bit++) if ((mask & (1L << bit)) != 0) out.add("CAP_" + names.get(bit));
            return out;
        }
    }

    private static List<String> prefixed(List<String> names) {
        return names.stream().map(n -> "CAP_" + n).toList();
    }
}
