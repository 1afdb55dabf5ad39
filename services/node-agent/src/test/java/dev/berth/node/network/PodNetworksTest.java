package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What PodNetworks decides without running plugins: config placement, names, options. */
class PodNetworksTest {
    @TempDir Path state;

    @Test
    void theGeneratedConfigIsWrittenUnderTheStateDirAndLoadedFromThere() throws Exception {
        PodNetworks n = PodNetworks.open(NodeNetworkOptions.defaults("node-1", state), "10.244.1.0/24");
        Path file = state.resolve("cni/net.d/10-berth.conflist");
        assertThat(file).exists();
        assertThat(n.config().name()).isEqualTo("berth-node-1");
        assertThat(n.config().plugins().get(0).path("ipam").path("dataDir").asText()).isEqualTo(state.resolve("cni/ipam").toAbsolutePath().toString());
        long modified = Files.getLastModifiedTime(file).toMillis();
        Thread.sleep(20);
        PodNetworks.open(NodeNetworkOptions.defaults("node-1", state), "10.244.1.0/24");
        assertThat(Files.getLastModifiedTime(file).toMillis()).as("unchanged config is not rewritten").isEqualTo(modified);
    }

    @Test
    void theGeneratedConfigNeedsThePodCidr() {
        assertThatThrownBy(() -> PodNetworks.open(NodeNetworkOptions.defaults("node-1", state), null))
                .hasMessageContaining("node node-1 has no pod CIDR yet");
    }

    @Test
    void laterOpensWithoutTheCidrLoadTheConfigWrittenBefore() throws Exception {
        PodNetworks.open(NodeNetworkOptions.defaults("node-1", state), "10.244.1.0/24");
        PodNetworks again = PodNetworks.open(NodeNetworkOptions.defaults("node-1", state), null);
        assertThat(again.config().plugins().get(0).path("ipam").path("ranges").get(0).get(0).path("subnet").asText()).isEqualTo("10.244.1.0/24");
    }

    @Test
    void anOperatorsConfigDirIsUsedUnchangedAndNeedsNoPodCidr() throws Exception {
        Path dir = Files.createDirectories(state.resolve("etc-cni"));
        Files.writeString(dir.resolve("10-calico.conflist"), "{\"cniVersion\":\"0.3.1\",\"name\":\"k8s-pod-network\",\"plugins\":[{\"type\":\"calico\"},{\"type\":\"portmap\",\"capabilities\":{\"portMappings\":true}}]}");
        PodNetworks n = PodNetworks.open(NodeNetworkOptions.defaults("node-1", state).withConfDir(dir), null);
        assertThat(n.config().name()).isEqualTo("k8s-pod-network");
        assertThat(state.resolve("cni/net.d")).doesNotExist();
    }

    @Test
    void anEmptyOperatorDirIsAnError() throws Exception {
        Path dir = Files.createDirectories(state.resolve("empty"));
        assertThatThrownBy(() -> PodNetworks.open(NodeNetworkOptions.defaults("node-1", state).withConfDir(dir), null))
                .hasMessageContaining("no CNI configuration (*.conflist, *.conf, *.json) in " + dir);
    }

    @Test
    void sandboxIdsNameNodeAndPodUnambiguously() throws Exception {
        PodNetworks n = PodNetworks.open(NodeNetworkOptions.defaults("node-1", state), "10.244.1.0/24");
        assertThat(n.sandboxId("web-abc12")).isEqualTo("berth_node-1_web-abc12");
        assertThat(n.sandboxId("shop/web-abc12")).isEqualTo("berth_node-1_shop_web-abc12");
        assertThat(n.netnsPath("web-abc12")).isEqualTo(Path.of("/run/netns/berth_node-1_web-abc12"));
        for (String bad : new String[] {"Web", "a_b", "../x", "a/b/c", "", "-a"}) {
            assertThatThrownBy(() -> n.sandboxId(bad)).as(bad).hasMessageContaining("invalid pod name");
        }
    }

    @Test
    void optionsDefaultToTheStandardPluginPathAndANodeBridge() {
        NodeNetworkOptions o = NodeNetworkOptions.defaults("node-1", state);
        assertThat(o.pluginPath()).containsExactly(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));
        assertThat(o.bridge()).isEqualTo(DefaultNetworkConfig.bridgeName("node-1"));
        assertThat(o.masquerade()).isFalse();
        assertThat(o.generated()).isTrue();
        assertThat(CniPlugins.parsePath("/a:/b::/c")).containsExactly(Path.of("/a"), Path.of("/b"), Path.of("/c"));
        assertThatThrownBy(() -> CniPlugins.parsePath(":")).hasMessageContaining("empty CNI plugin path");
        assertThatThrownBy(() -> NodeNetworkOptions.defaults("Node_1", state)).hasMessageContaining("invalid node name");
    }
}
