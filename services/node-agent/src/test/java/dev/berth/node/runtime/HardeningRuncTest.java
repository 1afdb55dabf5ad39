package dev.berth.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.bus.contract.SecurityContext;
import dev.berth.node.image.ImageException;
import dev.berth.node.image.ImageService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hardened defaults as a real container sees them (runc, busybox): /proc/self/status, and the syscalls Docker's
 * defaults refuse. The keyctl and raw-socket probes are a tiny libc-free static binary (syscall-probe.c, built here
 * with gcc) handed to the container base64-encoded in its environment, since the busybox image has neither.
 */
@EnabledIf("runcUsable")
class HardeningRuncTest {

    static boolean runcUsable() {
        return dev.berth.node.RealRunc.usable();
    }

    /** Docker's 14 default capabilities as the kernel prints them (CapBnd): bits 0-8, 10, 13, 18, 27, 29, 31. */
    static final String DEFAULT_CAPS = "00000000a80405fb"; // Docker's a80425fb less NET_RAW (bit 13)

    @TempDir
    static Path imageRoot;
    static ImageService images;
    static String probe;

    @TempDir
    Path tmp;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    final List<String> started = Collections.synchronizedList(new ArrayList<>());
    RuncRuntime runtime;

    @BeforeAll
    static void buildImage() throws Exception {
        images = new ImageService(imageRoot, ImageService.Options.defaults());
        LocalBusyboxImage.ensure(images, imageRoot.resolve("tmp"));
        Path source = imageRoot.resolve("syscall-probe.c");
        try (var in = HardeningRuncTest.class.getResourceAsStream("/syscall-probe.c")) {
            Files.copy(in, source);
        }
        Path binary = imageRoot.resolve("probe");
        if (System.getProperty("os.arch").equals("amd64")) {
            try {
                Process gcc = new ProcessBuilder("gcc", "-static", "-no-pie", "-nostdlib", "-Os", "-fno-stack-protector", "-s",
                        "-o", binary.toString(), source.toString()).inheritIO().start();
                if (gcc.waitFor() == 0) probe = Base64.getEncoder().encodeToString(Files.readAllBytes(binary));
            } catch (java.io.IOException noGcc) {
                probe = null;
            }
        }
    }

    @BeforeEach
    void setUp() {
        runtime = new RuncRuntime(tmp.resolve("runc"), tmp.resolve("bundles"), tmp.resolve("logs"), "/berth/test-" + run, images);
    }

    @AfterEach
    void tearDown() {
        try {
            for (String id : started) runtime.stop(id, Duration.ZERO);
        } finally {
            runtime.removeCgroupParent();
            runtime.close();
        }
        assertThat(runtime.cgroups().exists("/berth/test-" + run)).as("cgroup parent left behind").isFalse();
    }

    /** Runs a shell script to its end and returns its output. */
    private String output(String name, String script, SecurityContext context) throws Exception {
        String id = name + "-" + run;
        started.add(id);
        ContainerSpec spec = ContainerSpec.of(id, "busybox", List.of("sh", "-c", script))
                .withEnv(probe == null ? Map.of() : Map.of("PROBE", probe))
                .withProcess(null, context);
        RunningContainer c = runtime.start(spec);
        int code = c.exit().get(30, TimeUnit.SECONDS).code();
        String out = Files.readString(runtime.logFile(id));
        assertThat(code).as(out).isZero();
        return out;
    }

    private static String line(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + ":")).findFirst().orElseThrow(() -> new AssertionError(key + " in " + out))
                .substring(key.length() + 1).strip();
    }

    @Test
    void aDefaultContainerHasSeccompNoNewPrivsAndDockersCapabilities() throws Exception {
        String out = output("status", "cat /proc/self/status; echo cgroup=$(cat /proc/self/cgroup | head -1);"
                + " ls /sys/devices/virtual/powercap 2>/dev/null | wc -l | sed 's/^/powercap=/'", null);
        System.out.println("[hardening] default container, /proc/self/status:\n" + out.lines()
                .filter(l -> l.matches("(Cap\\w+|Seccomp|Seccomp_filters|NoNewPrivs|Uid|Gid):.*")).reduce((a, b) -> a + "\n" + b).orElse(""));
        assertThat(line(out, "Seccomp")).isEqualTo("2");
        assertThat(line(out, "NoNewPrivs")).isEqualTo("1");
        assertThat(line(out, "CapBnd")).isEqualTo(DEFAULT_CAPS);
        assertThat(line(out, "CapEff")).isEqualTo(DEFAULT_CAPS);
        assertThat(line(out, "CapPrm")).isEqualTo(DEFAULT_CAPS);
        assertThat(line(out, "CapInh")).isEqualTo("0000000000000000");
        assertThat(line(out, "CapAmb")).isEqualTo("0000000000000000");
        assertThat(out).contains("powercap=0"); // masked: an empty read-only tmpfs
        assertThat(out).containsPattern("cgroup=\\d+:[^:]*:/\\s"); // its own cgroup namespace: it sits at the root
    }

    @Test
    void aDefaultContainerCannotUnshareMountOrUseKeyctl() throws Exception {
        assumeTrue(probe != null, "needs gcc on x86_64 to build the syscall probe");
        String out = output("refused", "unshare -U true 2>&1; echo unshare=$?; mkdir -p /mnt; mount -t tmpfs none /mnt 2>&1; echo mount=$?;"
                + " echo $PROBE | base64 -d > /tmp/probe; chmod +x /tmp/probe; /tmp/probe keyctl; echo keyctl=$?;"
                + " /tmp/probe raw; echo rawroot=$?", null);
        assertThat(out).containsPattern("unshare=[1-9]").containsPattern("mount=[1-9]");
        assertThat(out).contains("keyctl=1"); // EPERM, the profile's errnoRet: keyrings are not namespaced
        assertThat(out).contains("rawroot=1"); // EPERM: no CAP_NET_RAW, not even for root (Pod Security baseline)
    }

    @Test
    void rawSocketsAreRefusedWithoutNetRaw() throws Exception {
        assumeTrue(probe != null, "needs gcc on x86_64 to build the syscall probe");
        String script = "echo $PROBE | base64 -d > /tmp/probe; chmod +x /tmp/probe; /tmp/probe raw; echo raw=$?; grep CapEff /proc/self/status";
        String nonRoot = output("raw-user", script, new SecurityContext(1000L, 1000L, true));
        assertThat(nonRoot).contains("raw=1").contains("CapEff:\t0000000000000000"); // EPERM: a non-root user has no capabilities
        String dropped = output("raw-drop", script, new SecurityContext(null, null, null,
                new SecurityContext.Capabilities(List.of(), List.of("NET_RAW")), null, null, null));
        assertThat(dropped).contains("raw=1");
        String added = output("raw-add", script, new SecurityContext(null, null, null,
                new SecurityContext.Capabilities(List.of("NET_RAW"), List.of()), null, null, null));
        assertThat(added).as("asked for, root gets it back").contains("raw=0");
    }

    @Test
    void runAsNonRootOnARootImageIsRefusedWithKubernetesMessage() {
        String id = "nonroot-" + run;
        started.add(id);
        assertThatThrownBy(() -> runtime.start(ContainerSpec.of(id, "busybox", List.of("true"))
                .withProcess(null, new SecurityContext(null, null, true))))
                .isInstanceOfSatisfying(ImageException.class, e -> {
                    assertThat(e.reason()).isEqualTo("CreateContainerConfigError");
                    // the kubelet's verifyRunAsNonRoot, word for word (a Berth pod has no UID: its name stands for it)
                    assertThat(e.getMessage()).isEqualTo("container has runAsNonRoot and image will run as root (pod: \"" + id + "\", container: " + id + ")");
                });
        assertThat(runtime.list()).doesNotContain(id);
    }

    @Test
    void addedSysAdminOpensTheSyscallsTheProfileKeepsForIt() throws Exception {
        String out = output("sysadmin", "mkdir -p /mnt; mount -t tmpfs none /mnt && echo mounted; grep -E 'Seccomp|CapEff' /proc/self/status",
                new SecurityContext(null, null, null, new SecurityContext.Capabilities(List.of("SYS_ADMIN"), List.of()), null, null, null));
        assertThat(out).contains("mounted");
        assertThat(line(out, "Seccomp")).isEqualTo("2"); // still filtered: the include of the SYS_ADMIN rule was resolved
        assertThat(Long.parseLong(line(out, "CapEff"), 16) & (1L << 21)).as("CAP_SYS_ADMIN").isNotZero();
    }

    @Test
    void dropAllAllowPrivilegeEscalationAndReadOnlyRootfs() throws Exception {
        String out = output("dropall", "grep -E 'CapBnd|NoNewPrivs' /proc/self/status; touch /x 2>&1; echo touch=$?",
                new SecurityContext(null, null, null, new SecurityContext.Capabilities(List.of("KILL"), List.of("ALL")), null, true, true));
        assertThat(line(out, "CapBnd")).isEqualTo("0000000000000020"); // CAP_KILL only
        assertThat(line(out, "NoNewPrivs")).isEqualTo("0");
        assertThat(out).containsPattern("touch=[1-9]").contains("Read-only file system");
    }

    @Test
    void privilegedIsRefusedUnlessTheNodeAllowsIt() throws Exception {
        SecurityContext privileged = new SecurityContext(null, null, null, null, true, null, null);
        String id = "priv-" + run;
        started.add(id);
        assertThatThrownBy(() -> runtime.start(ContainerSpec.of(id, "busybox", List.of("true")).withProcess(null, privileged)))
                .isInstanceOfSatisfying(ImageException.class, e -> {
                    assertThat(e.reason()).isEqualTo("CreateContainerConfigError");
                    assertThat(e.getMessage()).isEqualTo("pod \"" + id + "\" specified privileged container, but is disallowed");
                });
        assertThat(runtime.list()).doesNotContain(id);

        runtime.allowPrivileged(true);
        String out = output("priv2", "grep -E 'Seccomp|CapBnd|NoNewPrivs' /proc/self/status", privileged);
        assertThat(line(out, "Seccomp")).isEqualTo("0");
        assertThat(line(out, "NoNewPrivs")).isEqualTo("0");
        // every capability the node itself has (a node inside a container may lack some)
        assertThat(ContainerSecurity.HostCapabilities.decode(Long.parseLong(line(out, "CapBnd"), 16)))
                .isEqualTo(ContainerSecurity.HostCapabilities.BOUNDING);
    }
}
