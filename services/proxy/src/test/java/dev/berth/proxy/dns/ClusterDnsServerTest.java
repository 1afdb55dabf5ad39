package dev.berth.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.ServicePort;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/** The shell on 127.0.0.1 against a real client: busybox's nslookup (what the pods have), over UDP. */
class ClusterDnsServerTest {
    static Vertx vertx;
    static ClusterDnsServer server;
    static final Map<ServiceKey, ServiceEndpoints> SERVICES = Map.of(new ServiceKey("default", "web"),
            new ServiceEndpoints("default", "web", "10.96.1.5", List.of(new ServicePort("http", 80)), List.of()));

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.executeBlocking(() -> null).compose(v -> ClusterDnsServer.start(vertx, "127.0.0.1", 0, "cluster.local", () -> SERVICES))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static boolean busybox() { return Files.isExecutable(Path.of("/bin/busybox")); }

    static String nslookup(String name) throws Exception {
        Process p = new ProcessBuilder("busybox", "nslookup", "-port=" + server.udpPort(), "-timeout=2", name, "127.0.0.1")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    @EnabledIf("busybox")
    void busyboxNslookupGetsTheClusterIp() throws Exception {
        String out = nslookup("web.default.svc.cluster.local");
        assertThat(out).contains("Name:\tweb.default.svc.cluster.local", "Address: 10.96.1.5");
        assertThat(nslookup("nope.default.svc.cluster.local")).contains("NXDOMAIN").doesNotContain("10.96.1.5");
        assertThat(nslookup("example.com")).contains("REFUSED");
    }
}
