package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.contract.SecurityContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The decisions behind the hardened OCI config, without runc (HardeningRuncTest checks them in a real container). */
class ContainerSecurityTest {

    static final Set<String> HOST = Set.copyOf(SecurityContext.Capabilities.LINUX.stream().map(c -> "CAP_" + c).toList());
    static final Seccomp.Host AMD64 = new Seccomp.Host("amd64", 6, 1);

    static SecurityContext caps(List<String> add, List<String> drop) {
        return new SecurityContext(null, null, null, new SecurityContext.Capabilities(add, drop), null, null, null);
    }

    @Test
    void noSecurityContextIsDockersDefaultSetLessNetRawWithNoNewPrivilegesAndSeccomp() {
        ContainerSecurity s = ContainerSecurity.of(null, HOST);
        assertThat(s.capabilities()).containsExactlyInAnyOrderElementsOf(ContainerSecurity.DEFAULT_CAPABILITIES).hasSize(13)
                .doesNotContain("CAP_NET_RAW");
        assertThat(s.noNewPrivileges()).isTrue();
        assertThat(s.seccomp()).isTrue();
        assertThat(s.privileged()).isFalse();
        assertThat(ContainerSecurity.MASKED_PATHS).contains("/sys/devices/virtual/powercap", "/proc/kcore");
    }

    @Test
    void addAndDropFollowContainerdAllFirst() {
        assertThat(ContainerSecurity.of(caps(List.of("KILL"), List.of("ALL")), HOST).capabilities()).containsExactly("CAP_KILL");
        assertThat(ContainerSecurity.of(caps(List.of("ALL"), List.of("CHOWN")), HOST).capabilities())
                .hasSize(HOST.size() - 1).doesNotContain("CAP_CHOWN");
        assertThat(ContainerSecurity.of(caps(List.of("NET_ADMIN"), List.of("NET_RAW")), HOST).capabilities())
                .contains("CAP_NET_ADMIN").doesNotContain("CAP_NET_RAW").hasSize(14);
        assertThat(ContainerSecurity.of(caps(List.of("NET_RAW"), List.of()), HOST).capabilities()).contains("CAP_NET_RAW").hasSize(14);
    }

    @Test
    void allowPrivilegeEscalationTrueLiftsNoNewPrivilegesOnly() {
        ContainerSecurity s = ContainerSecurity.of(new SecurityContext(null, null, null, null, null, true, true), HOST);
        assertThat(s.noNewPrivileges()).isFalse();
        assertThat(s.seccomp()).isTrue();
        assertThat(s.readOnlyRootfs()).isTrue();
    }

    @Test
    void privilegedHasEveryCapabilityTheHostHasAndNoSeccompAndIsRefusedUnlessAllowed() {
        SecurityContext privileged = new SecurityContext(null, null, null, null, true, null, null);
        Set<String> host = new HashSet<>(HOST);
        host.remove("CAP_SYS_MODULE");
        ContainerSecurity s = ContainerSecurity.of(privileged, host);
        assertThat(s.capabilities()).hasSize(HOST.size() - 1).doesNotContain("CAP_SYS_MODULE");
        assertThat(s.seccomp()).isFalse();
        assertThat(s.noNewPrivileges()).isFalse();
        assertThat(ContainerSecurity.refusal("web-1", privileged, false))
                .contains("pod \"web-1\" specified privileged container, but is disallowed");
        assertThat(ContainerSecurity.refusal("web-1_sidecar", privileged, false))
                .contains("pod \"web-1\" specified privileged container, but is disallowed");
        assertThat(ContainerSecurity.refusal("web-1", privileged, true)).isEmpty();
        assertThat(ContainerSecurity.refusal("web-1", null, false)).isEmpty();
    }

    @Test
    void whoNamesThePodAndTheContainerAsTheKubeletDoes() {
        assertThat(ContainerSecurity.who("web-1")).isEqualTo(" (pod: \"web-1\", container: web-1)");
        assertThat(ContainerSecurity.who("web-1_log")).isEqualTo(" (pod: \"web-1\", container: log)");
    }

    @Test
    void theProfileKeepsMountAndUnshareForSysAdminOnly() {
        assertThat(allowed(Seccomp.profile(new HashSet<>(ContainerSecurity.DEFAULT_CAPABILITIES), AMD64)))
                .doesNotContain("mount", "unshare", "setns", "keyctl", "add_key", "reboot", "init_module", "io_uring_setup") // ptrace is allowed from kernel 4.8 on, as in Docker
                .contains("read", "execve", "chroot"); // CAP_SYS_CHROOT is in the default set
        Set<String> withSysAdmin = new HashSet<>(ContainerSecurity.DEFAULT_CAPABILITIES);
        withSysAdmin.add("CAP_SYS_ADMIN");
        assertThat(allowed(Seccomp.profile(withSysAdmin, AMD64))).contains("mount", "unshare", "setns");
    }

    @Test
    void theProfileIsForTheHostsArchitectureFamily() {
        JsonNode amd = Seccomp.profile(Set.of(), AMD64);
        assertThat(amd.path("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(StreamSupport.stream(amd.path("architectures").spliterator(), false).map(JsonNode::asText))
                .containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(allowed(amd)).contains("arch_prctl").doesNotContain("set_tls");
        JsonNode arm = Seccomp.profile(Set.of(), new Seccomp.Host("arm64", 6, 1));
        assertThat(allowed(arm)).contains("set_tls").doesNotContain("arch_prctl");
    }

    /** Names the profile allows unconditionally (no argument filter). */
    private static Set<String> allowed(JsonNode profile) {
        Set<String> out = new HashSet<>();
        for (JsonNode rule : profile.path("syscalls")) {
            if (!rule.path("action").asText().equals("SCMP_ACT_ALLOW")) continue;
            if (rule.has("args")) continue;
            rule.path("names").forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
