package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading configuration lists, the generated default, results and errors: pure, no plugins. */
class CniConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    private static final String FLANNEL = """
            {
              "name": "cbr0",
              "cniVersion": "0.3.1",
              "plugins": [
                { "type": "flannel", "delegate": { "hairpinMode": true, "isDefaultGateway": true } },
                { "type": "portmap", "capabilities": { "portMappings": true } }
              ]
            }""";

    @Test
    void theFirstFileInNameOrderWinsLikeKubeletAndContainerd() throws Exception {
        Files.writeString(dir.resolve("20-other.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"other\",\"plugins\":[{\"type\":\"ptp\"}]}");
        Files.writeString(dir.resolve("10-flannel.conflist"), FLANNEL);
        Files.writeString(dir.resolve("05-readme.txt"), "not a config");
        CniConfigList list = CniConfigList.load(dir).orElseThrow();
        assertThat(list.name()).isEqualTo("cbr0");
        assertThat(list.cniVersion()).isEqualTo("0.3.1");
        assertThat(list.types()).containsExactly("flannel", "portmap");
        assertThat(list.plugins().get(0).path("delegate").path("hairpinMode").asBoolean()).isTrue();
    }

    @Test
    void aSinglePluginConfIsAListOfOne() throws Exception {
        Files.writeString(dir.resolve("10-calico.conf"), "{\"cniVersion\":\"0.4.0\",\"name\":\"k8s-pod-network\",\"type\":\"calico\",\"ipam\":{\"type\":\"calico-ipam\"}}");
        CniConfigList list = CniConfigList.load(dir).orElseThrow();
        assertThat(list.types()).containsExactly("calico");
        assertThat(list.plugins().get(0).path("ipam").path("type").asText()).isEqualTo("calico-ipam");
    }

    @Test
    void anInvalidFileIsSkippedForALaterValidOne() throws Exception {
        Files.writeString(dir.resolve("00-broken.conflist"), "{ not json");
        Files.writeString(dir.resolve("10-flannel.conflist"), FLANNEL);
        assertThat(CniConfigList.load(dir).orElseThrow().name()).isEqualTo("cbr0");
    }

    @Test
    void aDirectoryWithOnlyInvalidFilesSaysWhatIsWrongWithEach() throws Exception {
        Files.writeString(dir.resolve("00-broken.conflist"), "{ not json");
        Files.writeString(dir.resolve("10-noplugins.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"plugins\":[]}");
        assertThatThrownBy(() -> CniConfigList.load(dir))
                .hasMessageContaining("no valid CNI configuration in " + dir)
                .satisfies(e -> assertThat(List.of(e.getSuppressed()).stream().map(Throwable::getMessage).toList())
                        .anySatisfy(m -> assertThat(m).contains("00-broken.conflist: not JSON"))
                        .anySatisfy(m -> assertThat(m).contains("10-noplugins.conflist: network x has no plugins")));
    }

    @Test
    void anEmptyOrMissingDirectoryHasNoConfig() throws Exception {
        assertThat(CniConfigList.load(dir)).isEmpty();
        assertThat(CniConfigList.load(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void badListsAreRejectedWithTheirReason() {
        Map<String, String> cases = Map.of(
                "{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"bridge\"}]}", "invalid CNI network name: null",
                "{\"cniVersion\":\"1.0.0\",\"name\":\"-bad\",\"plugins\":[{\"type\":\"bridge\"}]}", "invalid CNI network name: -bad",
                "{\"name\":\"n\",\"plugins\":[{\"type\":\"bridge\"}]}", "network n has no cniVersion",
                "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"bridge\":\"x\"}]}", "a plugin of network n has no type",
                "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":{}}", "\"plugins\" is not a list",
                "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}", "neither \"plugins\" nor \"type\"",
                "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"disableCheck\":\"maybe\",\"plugins\":[{\"type\":\"x\"}]}", "disableCheck must be true or false",
                "[1,2]", "not a JSON object");
        cases.forEach((json, reason) -> assertThatThrownBy(() -> CniConfigList.parse(json.getBytes(), "f.conflist"))
                .as(json).hasMessageStartingWith("f.conflist: ").hasMessageContaining(reason));
    }

    @Test
    void tooManyPluginsOrTooLargeAFileIsRefused() {
        StringBuilder s = new StringBuilder("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[");
        for (int i = 0; i < 33; i++) s.append(i == 0 ? "" : ",").append("{\"type\":\"x\"}");
        assertThatThrownBy(() -> CniConfigList.parse((s + "]}").getBytes(), "f")).hasMessageContaining("chains 33 plugins, more than 32");
        assertThatThrownBy(() -> CniConfigList.parse(new byte[CniConfigList.MAX_FILE_BYTES + 1], "f")).hasMessageContaining("larger than");
    }

    @Test
    void disableCheckIsReadAsStringOrBoolean() {
        assertThat(CniConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"disableCheck\":\"true\",\"plugins\":[{\"type\":\"x\"}]}".getBytes(), "f").disableCheck()).isTrue();
        assertThat(CniConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"disableCheck\":true,\"plugins\":[{\"type\":\"x\"}]}".getBytes(), "f").disableCheck()).isTrue();
        assertThat(CniConfigList.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"x\"}]}".getBytes(), "f").disableCheck()).isFalse();
    }

    @Test
    void aListRoundTripsThroughItsFileShape() {
        CniConfigList list = CniConfigList.parse(FLANNEL.getBytes(), "f");
        assertThat(CniConfigList.parse(list.toBytes(), "again")).usingRecursiveComparison().ignoringFields("source").isEqualTo(list);
    }

    @Test
    void theGeneratedConfigIsABridgeWithHostLocalAndPortmap() {
        CniConfigList c = DefaultNetworkConfig.generate("node-1", "10.244.3.0/24", "berth-abcd1234", Path.of("/var/lib/berth/node-1/cni/ipam"), false);
        assertThat(c.name()).isEqualTo("berth-node-1");
        assertThat(c.cniVersion()).isEqualTo("1.0.0");
        assertThat(c.types()).containsExactly("bridge", "portmap");
        ObjectNode bridge = c.plugins().get(0);
        assertThat(bridge.path("bridge").asText()).isEqualTo("berth-abcd1234");
        assertThat(bridge.path("isGateway").asBoolean()).isTrue();
        assertThat(bridge.path("ipMasq").asBoolean(true)).isFalse();
        assertThat(bridge.path("hairpinMode").asBoolean()).isTrue();
        JsonNode ipam = bridge.path("ipam");
        assertThat(ipam.path("type").asText()).isEqualTo("host-local");
        assertThat(ipam.path("ranges").get(0).get(0).path("subnet").asText()).isEqualTo("10.244.3.0/24");
        assertThat(ipam.path("dataDir").asText()).isEqualTo("/var/lib/berth/node-1/cni/ipam");
        assertThat(ipam.path("routes").get(0).path("dst").asText()).isEqualTo("0.0.0.0/0");
        assertThat(c.plugins().get(1).path("capabilities").path("portMappings").asBoolean()).isTrue();
    }

    @Test
    void masqueradeIsAnOption() {
        assertThat(DefaultNetworkConfig.generate("n", "10.244.0.0/24", "berth-x", Path.of("/x"), true).plugins().get(0).path("ipMasq").asBoolean()).isTrue();
    }

    @Test
    void theGeneratedConfigRefusesBadCidrsAndBridgeNames() {
        assertThatThrownBy(() -> DefaultNetworkConfig.generate("n", "10.244.3.1/24", "berth-x", Path.of("/x"), false)).hasMessageContaining("host bits set");
        assertThatThrownBy(() -> DefaultNetworkConfig.generate("n", "10.244.3.0/31", "berth-x", Path.of("/x"), false)).hasMessageContaining("leaves no room");
        assertThatThrownBy(() -> DefaultNetworkConfig.generate("n", "10.244.3.0", "berth-x", Path.of("/x"), false)).hasMessageContaining("no /prefix");
        assertThatThrownBy(() -> DefaultNetworkConfig.generate("n", "10.244.3.0/24", "berth-much-too-long", Path.of("/x"), false)).hasMessageContaining("longer than 15");
    }

    @Test
    void bridgeNamesAreShortStableUniquePerNodeAndSayBerth() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String b = DefaultNetworkConfig.bridgeName("node-" + i);
            assertThat(b).startsWith("berth-").hasSize(14).matches("berth-[0-9a-f]{8}");
            assertThat(DefaultNetworkConfig.bridgeName("node-" + i)).isEqualTo(b);
            names.add(b);
        }
        assertThat(names).hasSize(2000);
    }

    @Test
    void resultsOf040And100GiveThePodsAddress() throws Exception {
        String v040 = """
                {"cniVersion":"0.4.0","interfaces":[{"name":"cni0","mac":"00:11:22:33:44:55"},{"name":"veth1","mac":"55:44:33:22:11:11"},
                {"name":"eth0","mac":"99:88:77:66:55:44","sandbox":"/var/run/netns/blue"}],
                "ips":[{"version":"6","address":"fd00::5/64","interface":2},{"version":"4","address":"10.1.0.5/16","gateway":"10.1.0.1","interface":2}]}""";
        String v100 = """
                {"cniVersion":"1.0.0","interfaces":[{"name":"berth-1","mac":"aa"},{"name":"vethx"},{"name":"eth0","sandbox":"/run/netns/p"}],
                "ips":[{"address":"10.244.1.7/24","gateway":"10.244.1.1","interface":2}],"routes":[{"dst":"0.0.0.0/0"}]}""";
        CniResult a = new CniResult((ObjectNode) JSON.readTree(v040));
        CniResult b = new CniResult((ObjectNode) JSON.readTree(v100));
        assertThat(a.podIPv4("eth0")).contains("10.1.0.5");
        assertThat(a.ips().get(1).gateway()).isEqualTo("10.1.0.1");
        assertThat(a.hostInterfaces()).containsExactly("cni0", "veth1");
        assertThat(b.podIPv4("eth0")).contains("10.244.1.7");
        assertThat(b.cniVersion()).isEqualTo("1.0.0");
        assertThat(b.interfaces().get(2).sandbox()).isEqualTo("/run/netns/p");
    }

    @Test
    void anIpamOnlyResultStillGivesAnAddressAndAnEmptyOneNone() throws Exception {
        assertThat(new CniResult((ObjectNode) JSON.readTree("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.9.0.2/24\"}]}")).podIPv4("eth0")).contains("10.9.0.2");
        assertThat(new CniResult((ObjectNode) JSON.readTree("{\"cniVersion\":\"1.0.0\"}")).podIPv4("eth0")).isEmpty();
        assertThat(new CniResult((ObjectNode) JSON.readTree("{\"ips\":[{\"address\":\"fd00::1/64\"}]}")).podIPv4("eth0")).isEmpty();
    }

    @Test
    void errorJsonBecomesAClearException() {
        CniException e = CniErrors.parse("bridge", "ADD", 1,
                "{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"busy\",\"details\":\"lock held\"}".getBytes(StandardCharsets.UTF_8), "");
        assertThat(e.code()).isEqualTo(11);
        assertThat(e.getMessage()).isEqualTo("CNI ADD of plugin bridge failed (code 11: try again later): busy — lock held");
        CniException noDetails = CniErrors.parse("host-local", "DEL", 1, "{\"code\":100,\"msg\":\"x\"}".getBytes(), "");
        assertThat(noDetails.details()).isNull();
        assertThat(noDetails.getMessage()).isEqualTo("CNI DEL of plugin host-local failed (code 100: plugin-specific error): x");
        CniException notJson = CniErrors.parse("p", "ADD", 2, "panic: oops".getBytes(), "");
        assertThat(notJson.code()).isEqualTo(CniException.NOT_RUN);
        assertThat(notJson.getMessage()).contains("exited 2 without an error result: panic: oops");
        assertThat(CniErrors.parse("p", "ADD", 2, "x".repeat(5000).getBytes(), "").getMessage()).hasSizeLessThan(400);
    }

    @Test
    void wellKnownCodesHaveTheSpecsNames() {
        assertThat(CniException.codeName(1)).isEqualTo("incompatible CNI version");
        assertThat(CniException.codeName(2)).isEqualTo("unsupported field in network configuration");
        assertThat(CniException.codeName(3)).isEqualTo("container unknown or does not exist");
        assertThat(CniException.codeName(4)).isEqualTo("invalid necessary environment variables");
        assertThat(CniException.codeName(5)).isEqualTo("I/O failure");
        assertThat(CniException.codeName(6)).isEqualTo("failed to decode content");
        assertThat(CniException.codeName(7)).isEqualTo("invalid network config");
        assertThat(CniException.codeName(11)).isEqualTo("try again later");
        assertThat(CniException.codeName(50)).isEqualTo("reserved error code");
        assertThat(CniException.codeName(101)).isEqualTo("plugin-specific error");
    }

    @Test
    void runtimeArgumentsAreValidated() {
        assertThatThrownBy(() -> new CniRuntime("-x", null, "eth0", null, null)).hasMessageContaining("invalid CNI container id");
        assertThatThrownBy(() -> new CniRuntime("x", null, "this-is-too-long0", null, null)).hasMessageContaining("invalid interface name");
        assertThatThrownBy(() -> new CniRuntime("x", null, "eth 0", null, null)).hasMessageContaining("invalid interface name");
        assertThatThrownBy(() -> new CniRuntime("x", null, "..", null, null)).hasMessageContaining("invalid interface name");
        assertThatThrownBy(() -> new CniRuntime("x", null, "eth0", Map.of("A", "b;c=d"), null)).hasMessageContaining("CNI_ARGS");
        assertThat(new CniRuntime("x", null, "eth0", new java.util.LinkedHashMap<>(Map.of("K8S_POD_NAME", "web-1.a")), null).argsString()).isEqualTo("K8S_POD_NAME=web-1.a");
    }

    @Test
    void portMappingsAreValidatedAndSerialisedForPortmap() {
        assertThat(PortMapping.toJson(List.of(new PortMapping(8080, 80, "TCP", null), new PortMapping(5353, 53, "UDP", "10.0.0.1"))).toString())
                .isEqualTo("[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"},{\"hostPort\":5353,\"containerPort\":53,\"protocol\":\"udp\",\"hostIP\":\"10.0.0.1\"}]");
        assertThatThrownBy(() -> PortMapping.tcp(0, 80)).hasMessageContaining("hostPort out of 1..65535");
        assertThatThrownBy(() -> PortMapping.tcp(80, 70000)).hasMessageContaining("containerPort out of 1..65535");
        assertThatThrownBy(() -> new PortMapping(80, 80, "SCTP", null)).hasMessageContaining("TCP or UDP");
        assertThat(new PortMapping(80, 80, null, "").protocol()).isEqualTo("tcp");
    }

    @Test
    void theResultCacheRoundTripsAnEntry() throws Exception {
        ResultCache cache = new ResultCache(dir.resolve("results"));
        CniConfigList list = CniConfigList.parse(FLANNEL.getBytes(), "f");
        CniRuntime rt = new CniRuntime("berth_n_p", "/run/netns/berth_n_p", "eth0", Map.of("IgnoreUnknown", "1"),
                Map.of("portMappings", PortMapping.toJson(List.of(PortMapping.tcp(1, 2)))));
        CniResult result = new CniResult((ObjectNode) JSON.readTree("{\"cniVersion\":\"0.3.1\",\"ips\":[{\"address\":\"10.1.1.1/24\"}]}"));
        cache.put(new ResultCache.Entry(list, rt, result));
        ResultCache.Entry back = cache.get("cbr0", "berth_n_p", "eth0").orElseThrow();
        assertThat(back.result()).isEqualTo(result);
        assertThat(back.runtime()).isEqualTo(rt);
        assertThat(back.config().toJson()).isEqualTo(list.toJson());
        assertThat(cache.files()).hasSize(1);
        cache.remove("cbr0", "berth_n_p", "eth0");
        assertThat(cache.get("cbr0", "berth_n_p", "eth0")).isEmpty();
    }

    @Test
    void aCorruptCacheEntryIsReportedNotTakenForEmpty() throws Exception {
        ResultCache cache = new ResultCache(dir);
        Files.writeString(dir.resolve("n-c-eth0.json"), "{\"kind\":\"something-else\"}");
        assertThatThrownBy(() -> cache.get("n", "c", "eth0")).hasMessageContaining("not a berthCniCacheV1 entry");
    }

    @Test
    void iptablesSaveRulesAreSplitLikeTheShellWould() {
        assertThat(PortmapChains.tokens("OUTPUT -m addrtype --dst-type LOCAL -m comment --comment \"CNI portfwd requiring masquerade\" -j CNI-HOSTPORT-DNAT"))
                .containsExactly("OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-m", "comment", "--comment", "CNI portfwd requiring masquerade", "-j", "CNI-HOSTPORT-DNAT");
        assertThat(PortmapChains.tokens("X --comment \"a \\\"b\\\"\" -j Y")).containsExactly("X", "--comment", "a \"b\"", "-j", "Y");
    }

    @Test
    void cidrsParseAndTellMembership() {
        Ipv4Cidr c = Ipv4Cidr.parse("10.244.3.0/24");
        assertThat(c.address(1)).isEqualTo("10.244.3.1");
        assertThat(c.contains("10.244.3.200")).isTrue();
        assertThat(c.contains("10.244.4.1")).isFalse();
        for (String bad : List.of("10.244.3/24", "10.244.3.0/33", "256.0.0.0/8", "a.b.c.d/8", "10.0.0.0/x", "10..0.0/8", "1.2.3.4.5/8")) {
            assertThatThrownBy(() -> Ipv4Cidr.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
