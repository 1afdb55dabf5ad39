package dev.berth.bus.contract;

import java.util.List;

/**
 * The container's {@code securityContext}, Kubernetes' fields. Absent fields keep the node's hardened defaults
 * (docs/security.md): Docker's default capability set, the default seccomp profile, no_new_privileges.
 *
 * @param runAsUser                uid; null: the image's USER (or 0)
 * @param runAsGroup               gid; null: the image's group, or the user's primary group
 * @param runAsNonRoot             refuse to start a container that would run as uid 0 (CreateContainerConfigError)
 * @param capabilities             added to and dropped from the default set; null: the default set
 * @param privileged               every capability, no seccomp, no masked paths; refused unless the node allows it
 * @param allowPrivilegeEscalation true lets setuid binaries and file capabilities raise privileges (no_new_privileges
 *                                 off); null or false: off, Berth's default (Kubernetes' null means true)
 * @param readOnlyRootFilesystem   the container's rootfs mounted read-only
 */
public record SecurityContext(Long runAsUser, Long runAsGroup, Boolean runAsNonRoot, Capabilities capabilities,
                              Boolean privileged, Boolean allowPrivilegeEscalation, Boolean readOnlyRootFilesystem) {

    public SecurityContext(Long runAsUser, Long runAsGroup, Boolean runAsNonRoot) {
        this(runAsUser, runAsGroup, runAsNonRoot, null, null, null, null);
    }

    /** Kubernetes' capability names without the {@code CAP_} prefix, or {@code ALL}. */
    public record Capabilities(List<String> add, List<String> drop) {
        /** Every Linux capability (capability.h, 0 to 40), as Kubernetes names them. */
        public static final List<String> LINUX = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID",
                "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
                "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
                "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
                "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
                "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");
        public static final String ALL = "ALL";

        public Capabilities {
            add = add == null ? List.of() : List.copyOf(add);
            drop = drop == null ? List.of() : List.copyOf(drop);
        }
    }

}
