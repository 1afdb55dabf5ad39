package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.bus.Envelope;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.testing.TestBus;
import dev.berth.node.image.ImageTools;
import dev.berth.node.runtime.Cgroups;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The node agent running users' images: an image built by umoci and pushed by skopeo to Debian's
 * docker-registry on 127.0.0.1 is pulled by the agent and run by real runc with its config honoured
 * (as seen from inside the container), on a writable rootfs of the container's own that a
 * replacement does not inherit; two pods of the image share its layers; a missing image goes
 * ErrImagePull, then ImagePullBackOff with the registry's answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageNodeAgentTest {

    TestBus bus;
    Vertx vertx;
    Path base;
    ImageTools.Registry registry;
    NodeAgentOptions node;
    String agent;
    NodeAgentVerticle agentVerticle;
    final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);

    @BeforeAll
    void start() throws Exception {
        assumeTrue(RealRunc.usable() && ImageTools.usable(), "needs root, runc, umoci, skopeo, docker-registry and busybox-static");
        base = Files.createTempDirectory("berth-image-agent-");
        Path work = Files.createDirectories(base.resolve("work"));
        Path layout = work.resolve("layout");
        ImageTools.buildAppImage(work, layout, "app");
        registry = new ImageTools.Registry(Files.createDirectories(base.resolve("registry")), null, null);
        ImageTools.skopeo(work, "oci:" + layout + ":app", "docker://" + registry.host() + "/team/app:v1");
        bus = TestBus.start();
        vertx = Vertx.vertx();
        node = NodeAgentOptions.local("img-" + run, base.resolve("node"), base.resolve("unused"))
                .withStatusReportInterval(Duration.ofHours(1));
        agentVerticle = new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.RUNC, PodNetworkSetup.NONE);
        agent = TestBus.await(vertx.deployVerticle(agentVerticle));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (agent != null) TestBus.await(vertx.undeploy(agent));
            if (node != null) {
                NodeAgentVerticle.removeContainers(node);
                assertThat(Cgroups.detect().exists(node.cgroupParent())).as("cgroup parent left behind").isFalse();
                assertThat(Files.readString(Path.of("/proc/mounts"))).as("overlay mounts left behind").doesNotContain(base.toString());
            }
        } finally {
            if (vertx != null) TestBus.await(vertx.close());
            if (bus != null) bus.close();
            if (registry != null) registry.close();
            ImageTools.deleteTree(base);
        }
    }

    @Test
    void aRegistryImageRunsWithItsConfigOnAWritableRootfsOfItsOwn() throws Exception {
        String image = registry.host() + "/team/app:v1";
        String pod = "app-" + run;
        // no command: the image's Entrypoint [/bin/sh -c] stays; args replace its Cmd
        String script = "id -u; id -g; pwd; echo greeting=$GREETING pod=$FROM_POD; ls /data/opq; "
                + "test -e /data/keep/w && echo STALE || echo FRESH; echo w > /data/keep/w; sleep 30";
        PodTemplate t = template(image, script);
        Instant first = Instant.now();
        place(pod, t);
        PodStatusChanged running = awaitStatus(pod, first, s -> s.state() == ContainerState.Running);
        assertThat(running.reason()).isEqualTo("Started");
        assertThat(running.imageID()).matches(java.util.regex.Pattern.quote(registry.host() + "/team/app@sha256:") + "[0-9a-f]{64}");
        await().atMost(Duration.ofSeconds(10)).until(() -> log(pod).contains("FRESH"));
        assertThat(log(pod).lines().toList()).containsSubsequence("1000", "1000", "/data", "greeting=hi pod=pod", "new.txt", "FRESH");

        // a second pod of the image: the same layer directories under both overlays, pulled once
        String twin = "twin-" + run;
        place(twin, t);
        awaitStatus(twin, first, s -> s.state() == ContainerState.Running);
        List<String> lowers = lowerDirs(pod);
        assertThat(lowers).hasSize(3).isEqualTo(lowerDirs(twin));
        // relative to the store's layers dir (the mount is made from there, to keep the options short)
        assertThat(lowers).allSatisfy(l -> assertThat(node.stateDir().resolve("images/layers").resolve(l)).isDirectory());

        // the replacement container starts from the image again: what the first one wrote is gone
        release(twin);
        release(pod);
        awaitStatus(pod, first, s -> s.state() == ContainerState.Stopped);
        awaitStatus(twin, first, s -> s.state() == ContainerState.Stopped);
        Instant second = Instant.now();
        place(pod, t);
        awaitStatus(pod, second, s -> s.state() == ContainerState.Running);
        await().atMost(Duration.ofSeconds(10)).until(() -> log(pod).lines().filter(l -> l.equals("FRESH")).count() == 2);
        assertThat(log(pod)).doesNotContain("STALE");
        release(pod);
        awaitStatus(pod, second, s -> s.state() == ContainerState.Stopped);
        assertThat(node.stateDir().resolve("bundles").resolve(pod)).doesNotExist();
    }

    @Test
    void aMissingImageGoesErrImagePullThenImagePullBackOffWithTheRegistrysAnswer() throws Exception {
        String pod = "missing-" + run;
        String image = registry.host() + "/team/nope:v1";
        Instant since = Instant.now();
        place(pod, template(image, "true"));
        PodStatusChanged failed = awaitStatus(pod, since, s -> s.state() == ContainerState.Failed);
        assertThat(failed.reason()).isEqualTo("ErrImagePull");
        System.out.println("ErrImagePull message: " + failed.message());
        assertThat(failed.message()).contains(registry.host()).contains("404").containsIgnoringCase("manifest unknown");
        PodStatusChanged waiting = awaitStatus(pod, since, s -> s.state() == ContainerState.Waiting);
        assertThat(waiting.reason()).isEqualTo("ImagePullBackOff");
        assertThat(waiting.message()).startsWith("Back-off pulling image \"" + image + "\"").contains(failed.message());
        assertThat(waiting.restartCount()).isZero();
        release(pod);
        awaitStatus(pod, since, s -> s.state() == ContainerState.Stopped);
    }

    @Test
    void anAdoptedContainerKeepsItsImageIDAndItsMount() throws Exception {
        String pod = "adopt-" + run;
        Instant since = Instant.now();
        place(pod, template(registry.host() + "/team/app:v1", "sleep 60"));
        PodStatusChanged running = awaitStatus(pod, since, s -> s.state() == ContainerState.Running);
        NodeAgentVerticle old = agentVerticle;
        old.keepContainersRunningOnStop();
        TestBus.await(vertx.undeploy(agent));
        Instant restarted = Instant.now();
        agentVerticle = new NodeAgentVerticle(bus.config(), node, NodeAgentVerticle.RUNC, PodNetworkSetup.NONE);
        agent = TestBus.await(vertx.deployVerticle(agentVerticle));
        PodStatusChanged adopted = awaitStatus(pod, restarted, s -> s.state() == ContainerState.Running);
        assertThat(adopted.reason()).isEqualTo("Adopted");
        assertThat(adopted.imageID()).isEqualTo(running.imageID());
        lowerDirs(pod); // still mounted
        release(pod);
        awaitStatus(pod, restarted, s -> s.state() == ContainerState.Stopped);
    }

    // --- helpers ---

    private static PodTemplate template(String image, String script) {
        return new PodTemplate(image, List.of(), List.of(script), Map.of("FROM_POD", "pod"),
                new Resources(250, 64L << 20), "Always", 1);
    }

    private String log(String pod) throws Exception {
        Path log = node.stateDir().resolve("logs").resolve(pod + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The overlay lowerdirs of a pod's rootfs, from /proc/mounts. */
    private List<String> lowerDirs(String pod) throws Exception {
        String rootfs = node.stateDir().resolve("bundles").resolve(pod).resolve("rootfs").toString();
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 3 && f[1].equals(rootfs) && f[2].equals("overlay")) {
                for (String opt : f[3].split(",")) {
                    if (opt.startsWith("lowerdir=")) return List.of(opt.substring("lowerdir=".length()).split(":"));
                }
            }
        }
        throw new AssertionError("no overlay mounted at " + rootfs);
    }

    private void place(String pod, PodTemplate t) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodPlaced(pod, node.nodeName(), "test", t, 1, Map.of(), List.of()));
    }

    private void release(String pod) {
        bus.send(Topic.PLACEMENTS, node.nodeName(), new PodReleased(pod, node.nodeName(), "test"));
    }

    private List<PodStatusChanged> statuses(String pod, Instant since) {
        List<PodStatusChanged> out = new ArrayList<>();
        for (Envelope e : bus.read(Topic.POD_STATUS)) {
            if (e.data() instanceof PodStatusChanged s && s.pod().equals(pod) && !e.time().isBefore(since)) out.add(s);
        }
        return out;
    }

    private PodStatusChanged awaitStatus(String pod, Instant since, Predicate<PodStatusChanged> match) {
        PodStatusChanged[] found = new PodStatusChanged[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            found[0] = statuses(pod, since).stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }
}
