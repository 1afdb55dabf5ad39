package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciBundleTest {

    private static final Path ROOTFS = Path.of("/var/lib/berth/images/busybox/rootfs");

    /** Its env may hold a Secret's values: config.json is root's alone, also when it is written again. */
    @Test
    void theConfigIsReadableByRootAlone(@TempDir Path bundle) throws Exception {
        ContainerSpec spec = ContainerSpec.of("web", "busybox", List.of("sh")).withEnv(Map.of("DB_PASSWORD", "s3cr3t"));
        for (int i = 0; i < 2; i++) {
            Path config = OciBundle.write(bundle, spec, ROOTFS, "/berth/n1/web", true);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(config)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void writesLimitsAndSharedReadOnlyRoot(@TempDir Path bundle) throws Exception {
        ContainerSpec spec = ContainerSpec.of("web", "busybox", List.of("sleep", "30")).withLimits(250, 64L << 20);
        JsonNode c = new ObjectMapper().readTree(OciBundle.write(bundle, spec, ROOTFS, "/berth/n1/web", true).toFile());

        assertThat(c.path("ociVersion").asText()).isEqualTo("1.0.2");
        assertThat(c.at("/root/path").asText()).isEqualTo(ROOTFS.toString());
        assertThat(c.at("/root/readonly").asBoolean()).isTrue();
        assertThat(c.path("hostname").asText()).isEqualTo("web");
        assertThat(texts(c.at("/process/args"))).containsExactly("sleep", "30");
        assertThat(texts(c.at("/process/env"))).containsExactly("PATH=/usr/bin:/bin:/sbin", "HOSTNAME=web");
        assertThat(c.at("/process/noNewPrivileges").asBoolean()).isTrue();
        assertThat(texts(c.at("/process/capabilities/bounding"))).contains("CAP_KILL").doesNotContain("CAP_SYS_ADMIN");

        JsonNode linux = c.path("linux");
        assertThat(linux.path("cgroupsPath").asText()).isEqualTo("/berth/n1/web");
        assertThat(linux.at("/resources/memory/limit").asLong()).isEqualTo(67108864);
        assertThat(linux.at("/resources/memory/swap").asLong()).isEqualTo(67108864);
        assertThat(linux.at("/resources/cpu/period").asLong()).isEqualTo(100000);
        assertThat(linux.at("/resources/cpu/quota").asLong()).isEqualTo(25000);
        assertThat(linux.at("/resources/pids/limit").asLong()).isEqualTo(256);
        List<String> ns = new ArrayList<>();
        linux.path("namespaces").forEach(n -> {
            ns.add(n.path("type").asText());
            assertThat(n.has("path")).isFalse();
        });
        assertThat(ns).containsExactlyInAnyOrder("pid", "mount", "ipc", "uts", "network", "cgroup");
        assertThat(texts(linux.path("maskedPaths"))).contains("/proc/kcore", "/sys/devices/virtual/powercap");
        assertThat(texts(linux.path("readonlyPaths"))).contains("/proc/sys");

        List<String> mounts = new ArrayList<>();
        c.path("mounts").forEach(m -> mounts.add(m.path("destination").asText() + ":" + m.path("type").asText()));
        assertThat(mounts).contains("/proc:proc", "/dev:tmpfs", "/dev/pts:devpts", "/dev/shm:tmpfs",
                "/dev/mqueue:mqueue", "/sys:sysfs", "/tmp:tmpfs");
    }

    @Test
    void omitsUnsetLimitsAndSwapWithoutMemsw() {
        JsonNode res = OciBundle.config(ContainerSpec.of("a", "busybox", List.of()), ROOTFS, "/x/a", false)
                .at("/linux/resources");
        assertThat(res.has("memory")).isFalse();
        assertThat(res.has("cpu")).isFalse();
        JsonNode mem = OciBundle.config(ContainerSpec.of("a", "busybox", List.of()).withLimits(5, 1 << 20),
                ROOTFS, "/x/a", false).at("/linux/resources");
        assertThat(mem.at("/memory/swap").isMissingNode()).isTrue();
        assertThat(mem.at("/cpu/quota").asLong()).isEqualTo(1000); // kernel minimum, not 500
    }

    @Test
    void defaultsAndOverrides() {
        ContainerSpec spec = new ContainerSpec("a", "busybox", List.of(), Map.of("PATH", "/bin", "B", "2", "A", "1"),
                0, 0, 0, "host-a", null, List.of(), null);
        JsonNode c = OciBundle.config(spec, ROOTFS, "/x/a", true);
        assertThat(c.has("annotations")).isFalse();
        assertThat(texts(c.at("/process/args"))).containsExactly("sh");
        assertThat(texts(c.at("/process/env"))).containsExactly("PATH=/bin", "HOSTNAME=host-a", "A=1", "B=2");
        assertThat(c.path("hostname").asText()).isEqualTo("host-a");
        assertThat(spec.pidsLimit()).isEqualTo(ContainerSpec.DEFAULT_PIDS_LIMIT);
    }

    @Test
    void annotationsGoIntoTheConfigSoRuncKeepsThem() {
        ContainerSpec spec = ContainerSpec.of("a", "busybox", List.of()).withAnnotations(Map.of("dev.berth.restarts", "3"));
        JsonNode c = OciBundle.config(spec, ROOTFS, "/x/a", false);
        assertThat(c.at("/annotations/dev.berth.restarts").asText()).isEqualTo("3");
    }

    @Test
    void aResolvConfIsWrittenInTheBundleAndBindMountedReadOnly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path bundle)
            throws java.io.IOException {
        ContainerSpec spec = ContainerSpec.of("a", "busybox", List.of()).withResolvConf("nameserver 10.96.0.10\n");
        OciBundle.write(bundle, spec, ROOTFS, "/x/a", false);
        java.nio.file.Path file = bundle.resolve(OciBundle.RESOLV_CONF);
        assertThat(java.nio.file.Files.readString(file)).isEqualTo("nameserver 10.96.0.10\n");
        JsonNode config = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bundle.resolve("config.json").toFile());
        JsonNode mount = null;
        for (JsonNode m : config.at("/mounts")) if (m.path("destination").asText().equals("/etc/resolv.conf")) mount = m;
        assertThat(mount).isNotNull();
        assertThat(mount.path("type").asText()).isEqualTo("bind");
        assertThat(mount.path("source").asText()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(texts(mount.at("/options"))).contains("rbind", "ro");

        java.nio.file.Path plain = bundle.resolve("plain");
        OciBundle.write(plain, ContainerSpec.of("b", "busybox", List.of()), ROOTFS, "/x/b", false);
        assertThat(plain.resolve(OciBundle.RESOLV_CONF)).doesNotExist();
        assertThat(java.nio.file.Files.readString(plain.resolve("config.json"))).doesNotContain("resolv.conf");
    }

    @Test
    void rejectsIdsThatAreNotDns1123LabelsOrTwoJoinedByAnUnderscore() {
        for (String bad : List.of("Web", "-a", "a-", "a_", "_b", "a_b_c", "a_B", "a.b", "x".repeat(64), "a_" + "x".repeat(64), "")) {
            assertThatThrownBy(() -> ContainerSpec.of(bad, "busybox", List.of()))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ContainerSpec.of("x".repeat(63), "busybox", List.of()).id()).hasSize(63);
        ContainerSpec ofSeveral = ContainerSpec.of("shop-abcde_web", "busybox", List.of());
        assertThat(ofSeveral.hostname()).as("the pod's name, as every container of the pod has it").isEqualTo("shop-abcde");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
