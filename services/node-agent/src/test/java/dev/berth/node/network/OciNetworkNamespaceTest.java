package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciNetworkNamespaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theNetworkNamespaceGetsThePodsPathAndTheOthersStayFresh() throws Exception {
        ObjectNode c = (ObjectNode) JSON.readTree("{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"mount\"}]}}");
        OciNetworkNamespace.join(c, Path.of("/run/netns/berth_node-1_web"));
        assertThat(c.path("linux").path("namespaces").toString())
                .isEqualTo("[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/run/netns/berth_node-1_web\"},{\"type\":\"mount\"}]");
    }

    @Test
    void aConfigWithoutANetworkNamespaceGetsOne(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("config.json");
        Files.writeString(f, "{\"ociVersion\":\"1.0.2\"}");
        OciNetworkNamespace.join(f, Path.of("/run/netns/x"));
        assertThat(JSON.readTree(f.toFile()).path("linux").path("namespaces").toString()).isEqualTo("[{\"type\":\"network\",\"path\":\"/run/netns/x\"}]");
        assertThat(JSON.readTree(f.toFile()).path("ociVersion").asText()).isEqualTo("1.0.2");
    }
}
