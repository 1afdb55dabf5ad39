package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.node.runtime.ContainerSpec;
import dev.berth.node.runtime.ImageStore;
import dev.berth.node.runtime.OciBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wiring the node agent does, end to end with real runc: CNI ADD into the pod's namespace, the OCI
 * config joins it by path, the container sees the pod's IP on eth0 and talks to another pod; then DEL.
 */
@EnabledIf("usable")
class RealCniRuncTest {
    static boolean usable() { return RealCni.usable() && dev.berth.node.RealRunc.usable(); }

    private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final String node = "cnirunc-" + run;
    private final String cidr = "10.198." + (2 + ThreadLocalRandom.current().nextInt(250)) + ".0/24";

    @Test
    void aRuncContainerJoinsThePodsNamespaceAndReachesAnotherPod(@TempDir Path tmp) throws Exception {
        boolean forwarding = IpForwarding.enabled(); // the bridge plugin turns it on; put it back
        PodNetworks nets = PodNetworks.open(NodeNetworkOptions.defaults(node, tmp.resolve("state")), cidr);
        List<Exception> problems = new ArrayList<>();
        try {
            PodNetwork pod = nets.setUp("web-1", List.of());
            PodNetwork peer = nets.setUp("peer-1", List.of());
            Process listener = new ProcessBuilder("ip", "netns", "exec", peer.netns().getFileName().toString(), "busybox", "nc", "-l", "-p", "7799")
                    .redirectErrorStream(true).start();
            CompletableFuture<String> heard = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (Exception e) {
                    return "";
                }
            });
            listener.getOutputStream().close();
            Thread.sleep(300);

            ImageStore images = new ImageStore(tmp.resolve("images"));
            images.ensureBusybox();
            String id = "cnirunc-" + run;
            ContainerSpec spec = ContainerSpec.of(id, ImageStore.BUSYBOX,
                    List.of("sh", "-c", "ip -o -4 addr show eth0; echo hello-from-" + id + " | nc -w 3 " + peer.podIP() + " 7799"));
            Path bundle = tmp.resolve("bundle");
            Path config = OciBundle.write(bundle, spec, images.rootfs(ImageStore.BUSYBOX), "/berth/" + node + "/" + id, false);
            OciNetworkNamespace.join(config, pod.netns());
            Process runc = new ProcessBuilder("runc", "--root", tmp.resolve("runc").toString(), "run", "--bundle", bundle.toString(), id)
                    .redirectErrorStream(true).start();
            runc.getOutputStream().close();
            assertThat(runc.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(runc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).contains("inet " + pod.podIP() + "/24");
            assertThat(runc.exitValue()).as(out).isZero();
            assertThat(heard.get(10, TimeUnit.SECONDS)).contains("hello-from-" + id);
            listener.destroyForcibly();
        } finally {
            problems.addAll(nets.tearDownAll());
            dev.berth.node.runtime.Cgroups.detect().removeWithAncestors("/berth/" + node + "/cnirunc-" + run);
            IpForwarding.set(forwarding);
        }
        assertThat(problems).isEmpty();
        assertThat(HostCommands.check(List.of("ip", "netns", "list"))).doesNotContain(node);
        assertThat(HostCommands.check(List.of("ip", "-o", "link"))).doesNotContain(nets.options().bridge());
        assertThat(dev.berth.node.runtime.Cgroups.detect().exists("/berth/" + node)).isFalse();
    }
}
