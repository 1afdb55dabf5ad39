package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime side of the CNI contract, against small plugin executables (shell scripts) that record
 * what they were given: environment, stdin, order. No root needed.
 */
class CniNetworkContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;
    private Path bin;
    private Path log;

    @BeforeEach
    void plugins() throws IOException {
        bin = Files.createDirectories(dir.resolve("bin"));
        log = dir.resolve("log");
        Files.createDirectories(log);
        // Records its call, then echoes prevResult, adding an IP of its own (a result of the spec's shape).
        plugin("first", "printf '{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"%s\"}],\"ips\":[{\"address\":\"10.0.0.5/24\",\"interface\":0}]}' \"$CNI_NETNS\"");
        plugin("second", "if [ \"$CNI_COMMAND\" = ADD ]; then sed -n 's/.*\"prevResult\":\\(.*\\)}$/\\1/p' \"$REC.stdin\"; fi");
        plugin("failing", "echo '{\"cniVersion\":\"1.0.0\",\"code\":7,\"msg\":\"invalid network config\",\"details\":\"no subnet\"}'; exit 1");
        plugin("sleepy", "sleep 5");
        plugin("chatty", "head -c 2000000 /dev/zero | tr '\\0' 'x'");
        plugin("garbage", "echo 'this is not json'");
        plugin("silentfail", "echo 'stderr says why' >&2; exit 3");
    }

    private void plugin(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        String script = "#!/bin/sh\n"
                + "REC=" + log + "/$(date +%s%N)-" + name + "\n"
                + "cat > \"$REC.stdin\"\n"
                + "env | grep '^CNI_' | sort > \"$REC.env\"\n"
                + "echo \"$CNI_COMMAND " + name + "\" >> " + log + "/order\n"
                + body + "\n";
        Files.writeString(p, script);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private CniNetwork network(String... types) {
        return network(Duration.ofSeconds(10), types);
    }

    private CniNetwork network(Duration timeout, String... types) {
        StringBuilder s = new StringBuilder("{\"cniVersion\":\"1.0.0\",\"name\":\"testnet\",\"plugins\":[");
        for (int i = 0; i < types.length; i++) {
            if (i > 0) s.append(',');
            s.append("{\"type\":\"").append(types[i]).append("\"");
            if (types[i].equals("second")) s.append(",\"capabilities\":{\"portMappings\":true}");
            s.append(",\"name\":\"ignored\",\"cniVersion\":\"0.1.0\"}");
        }
        s.append("]}");
        return new CniNetwork(CniConfigList.parse(s.toString().getBytes(), "test"), new CniPlugins(List.of(dir.resolve("nowhere"), bin), timeout));
    }

    private static CniRuntime runtime() {
        Map<String, String> args = new java.util.LinkedHashMap<>();
        args.put("IgnoreUnknown", "1");
        args.put("K8S_POD_NAME", "web-1");
        return new CniRuntime("pod-1", "/run/netns/test", "eth0", args,
                Map.of("portMappings", PortMapping.toJson(List.of(PortMapping.tcp(8080, 80))), "bandwidth", JSON.createObjectNode()));
    }

    private List<String> order() throws IOException {
        return Files.readAllLines(log.resolve("order"));
    }

    private List<JsonNode> stdins(String name) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var s = Files.list(log)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith("-" + name + ".stdin")).sorted().toList()) out.add(JSON.readTree(p.toFile()));
        }
        return out;
    }

    private String env(String name) throws IOException {
        try (var s = Files.list(log)) {
            return Files.readString(s.filter(p -> p.getFileName().toString().endsWith("-" + name + ".env")).sorted().findFirst().orElseThrow());
        }
    }

    @Test
    void addRunsTheChainInOrderWithTheSpecsEnvironment() throws Exception {
        CniResult r = network("first", "second").add(runtime());
        assertThat(order()).containsExactly("ADD first", "ADD second");
        assertThat(env("first")).contains("CNI_COMMAND=ADD", "CNI_CONTAINERID=pod-1", "CNI_NETNS=/run/netns/test", "CNI_IFNAME=eth0",
                "CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=web-1", "CNI_PATH=" + dir.resolve("nowhere") + ":" + bin);
        assertThat(r.podIPv4("eth0")).contains("10.0.0.5");
    }

    @Test
    void everyPluginGetsTheListsNameAndVersion() throws Exception {
        network("first", "second").add(runtime());
        for (String p : List.of("first", "second")) {
            JsonNode in = stdins(p).get(0);
            assertThat(in.path("name").asText()).isEqualTo("testnet");
            assertThat(in.path("cniVersion").asText()).isEqualTo("1.0.0");
        }
    }

    @Test
    void prevResultIsThePreviousPluginsResultOnAddAndNoneForTheFirst() throws Exception {
        network("first", "second").add(runtime());
        assertThat(stdins("first").get(0).has("prevResult")).isFalse();
        assertThat(stdins("second").get(0).path("prevResult").path("ips").get(0).path("address").asText()).isEqualTo("10.0.0.5/24");
    }

    @Test
    void runtimeConfigGoesOnlyToPluginsDeclaringTheCapabilityAndOnlyThatCapability() throws Exception {
        network("first", "second").add(runtime());
        assertThat(stdins("first").get(0).has("runtimeConfig")).isFalse();
        JsonNode rc = stdins("second").get(0).path("runtimeConfig");
        assertThat(rc.path("portMappings").get(0).path("hostPort").asInt()).isEqualTo(8080);
        assertThat(rc.path("portMappings").get(0).path("protocol").asText()).isEqualTo("tcp");
        assertThat(rc.has("bandwidth")).isFalse();
    }

    @Test
    void delRunsInReverseWithTheCachedResultAsPrevResult() throws Exception {
        CniNetwork n = network("first", "second");
        CniResult r = n.add(runtime());
        Files.delete(log.resolve("order"));
        n.del(runtime(), r);
        assertThat(order()).containsExactly("DEL second", "DEL first");
        assertThat(stdins("first").get(1).path("prevResult")).isEqualTo(r.json());
        assertThat(stdins("second").get(1).path("prevResult")).isEqualTo(r.json());
    }

    @Test
    void checkRunsInOrderWithTheCachedResult() throws Exception {
        CniNetwork n = network("first", "second");
        CniResult r = n.add(runtime());
        Files.delete(log.resolve("order"));
        n.check(runtime(), r);
        assertThat(order()).containsExactly("CHECK first", "CHECK second");
        assertThat(stdins("second").get(1).path("prevResult")).isEqualTo(r.json());
    }

    @Test
    void checkIsSkippedWhenTheListDisablesItOrPredates040() throws Exception {
        for (String list : List.of("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"disableCheck\":\"true\",\"plugins\":[{\"type\":\"failing\"}]}",
                "{\"cniVersion\":\"0.3.1\",\"name\":\"n\",\"plugins\":[{\"type\":\"failing\"}]}")) {
            CniNetwork n = new CniNetwork(CniConfigList.parse(list.getBytes(), "t"), new CniPlugins(List.of(bin), Duration.ofSeconds(5)));
            assertThat(n.checkable()).isFalse();
            n.check(runtime(), new CniResult(JSON.createObjectNode()));
        }
        assertThat(log.resolve("order")).doesNotExist();
    }

    @Test
    void delBefore040CarriesNoPrevResult() throws Exception {
        CniNetwork n = new CniNetwork(CniConfigList.parse("{\"cniVersion\":\"0.3.1\",\"name\":\"n\",\"plugins\":[{\"type\":\"first\"}]}".getBytes(), "t"),
                new CniPlugins(List.of(bin), Duration.ofSeconds(5)));
        n.del(runtime(), new CniResult((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree("{\"ips\":[]}")));
        assertThat(stdins("first").get(0).has("prevResult")).isFalse();
    }

    @Test
    void aFailedAddStopsTheChainReportsTheErrorJsonAndDeletesTheWholeChainInReverse() throws Exception {
        assertThatThrownBy(() -> network("first", "failing", "second").add(runtime()))
                .isInstanceOfSatisfying(CniException.class, e -> {
                    assertThat(e.code()).isEqualTo(7);
                    assertThat(e.plugin()).isEqualTo("failing");
                    assertThat(e.msg()).isEqualTo("invalid network config");
                    assertThat(e.details()).isEqualTo("no subnet");
                    assertThat(e.getMessage()).isEqualTo("CNI ADD of plugin failing failed (code 7: invalid network config): invalid network config — no subnet");
                });
        // The chain stops at the failure (second never ADDs); the undo DEL stops at the first failure too.
        assertThat(order()).containsExactly("ADD first", "ADD failing", "DEL second", "DEL failing");
    }

    @Test
    void aMissingPluginIsNamedWithThePath() {
        assertThatThrownBy(() -> network("nosuchplugin").add(runtime()))
                .isInstanceOfSatisfying(CniException.class, e -> {
                    assertThat(e.code()).isEqualTo(CniException.NOT_RUN);
                    assertThat(e.getMessage()).contains("plugin 'nosuchplugin' not found in " + dir.resolve("nowhere") + ":" + bin);
                });
    }

    @Test
    void aTypeThatIsAPathIsNeverExecuted() {
        assertThat(new CniPlugins(List.of(bin), Duration.ofSeconds(1)).find("../bin/first")).isEmpty();
        assertThat(new CniPlugins(List.of(bin), Duration.ofSeconds(1)).find("/bin/sh")).isEmpty();
        assertThat(new CniPlugins(List.of(bin), Duration.ofSeconds(1)).find("first")).isPresent();
    }

    @Test
    void aPluginThatHangsIsKilledAtTheTimeout() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> network(Duration.ofMillis(300), "sleepy").del(runtime(), null))
                .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.getMessage()).contains("timed out after 300 ms (killed)"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void stdoutIsBounded() {
        assertThatThrownBy(() -> network("chatty").add(runtime()))
                .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.getMessage()).contains("printed more than 1048576 bytes"));
    }

    @Test
    void outputThatIsNotJsonIsReported() {
        assertThatThrownBy(() -> network("garbage").add(runtime()))
                .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.getMessage()).contains("not JSON: this is not json"));
    }

    @Test
    void aFailureWithoutErrorJsonQuotesStderr() {
        assertThatThrownBy(() -> network("silentfail").add(runtime()))
                .isInstanceOfSatisfying(CniException.class, e -> assertThat(e.getMessage()).contains("exited 3 without an error result: stderr says why"));
    }

    @Test
    void anUnsupportedVersionIsRefusedBeforeAnyPluginRuns() {
        assertThatThrownBy(() -> new CniNetwork(CniConfigList.parse("{\"cniVersion\":\"0.2.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"first\"}]}".getBytes(), "old.conf"),
                CniPlugins.defaults()))
                .hasMessageContaining("uses cniVersion 0.2.0; supported: [0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0]");
    }

    @Test
    void inheritedCniVariablesNeverReachThePlugin() throws Exception {
        network("first").del(new CniRuntime("pod-1", null, "eth0", null, null), null);
        assertThat(env("first")).doesNotContain("CNI_NETNS").doesNotContain("CNI_ARGS").contains("CNI_COMMAND=DEL");
    }
}
