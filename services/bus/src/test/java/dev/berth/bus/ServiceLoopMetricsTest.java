package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.ServiceLoopTest.EchoCore;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.bus.testing.PrometheusText;
import dev.berth.bus.testing.PrometheusText.Sample;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service loop's /metrics on a real broker, read with Prometheus' own text parser: records processed and
 * set aside per topic, what it published, decide and commit time histograms, consumer lag, and the
 * {@code service} label on every series.
 */
class ServiceLoopMetricsTest {
    private static TestBus bus;
    private static Vertx vertx;
    /** Held for the whole class: Vert.x closes a client nobody references any more (a GC'd one fails with "Pool closed"). */
    private static HttpClient http;

    @BeforeAll
    static void start() {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        http = vertx.createHttpClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @Test
    void countsTimesAndLagAreServedInThePrometheusTextFormat() throws Exception {
        ServiceMetrics metrics = ServiceMetrics.of("echo");
        TransactionalPublisher tx = TestBus.await(TransactionalPublisher.create(vertx, bus.config(), "metrics-echo"));
        ServiceLoop<Integer> loop = TestBus.await(vertx.getOrCreateContext().<ServiceLoop<Integer>>executeBlocking(() -> null).map(v ->
                ServiceLoop.builder(vertx, bus.config(), "echo", new EchoCore(), 0)
                        .transactional(tx)
                        .metrics(metrics.loop())
                        .source(new ServiceLoop.Source("commands", List.of(Topic.COMMANDS),
                                new LogTail.Start.TransactionalGroup("metrics-echo-group"), Set.of()))
                        .start()));
        int port = TestBus.await(metrics.serve(vertx, "127.0.0.1", 0));
        try {
            bus.sendCommand(new DeleteDeployment("web"));
            bus.sendCommand(new DeleteDeployment("db"));
            bus.send(Topic.COMMANDS, "web", "{\"id\":\"cut-1\",\"type\":\"DeleteDeploy"); // unreadable: set aside and answered

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                    value(scrape(port), "berth_records_set_aside_total", Map.of("topic", "berth.commands")) == 1
                            && value(scrape(port), "berth_unit_commit_seconds_count", Map.of()) >= 1);
            List<Sample> samples = PrometheusText.parse(scrape(port));

            assertThat(samples).allSatisfy(s -> assertThat(s.labels()).containsEntry("service", "echo"));
            assertThat(value(samples, "berth_records_processed_total", Map.of("source", "commands", "topic", "berth.commands"))).isEqualTo(2);
            assertThat(value(samples, "berth_records_set_aside_total", Map.of("source", "commands", "topic", "berth.commands"))).isEqualTo(1);
            // The two acceptances (this core does not answer unreadable records; the dead letter is not counted as published).
            assertThat(value(samples, "berth_records_published_total", Map.of("topic", "berth.command-results"))).isEqualTo(2);
            assertThat(samples).filteredOn(s -> s.family().equals("berth_unit_commit_seconds")).extracting(Sample::type).containsOnly("histogram");
            assertThat(samples).anySatisfy(s -> assertThat(s.name()).isEqualTo("berth_unit_commit_seconds_bucket"));
            assertThat(value(samples, "berth_unit_decide_seconds_count", Map.of("source", "commands"))).isGreaterThanOrEqualTo(1);
            assertThat(value(samples, "berth_consumer_lag_records", Map.of("source", "commands"))).isZero();
            assertThat(samples).anySatisfy(s -> assertThat(s.name()).startsWith("jvm_memory_used_bytes"));
        } finally {
            TestBus.await(vertx.getOrCreateContext().<Void>executeBlocking(() -> null).compose(v -> loop.stop()));
            TestBus.await(metrics.stop());
            metrics.close();
        }
    }

    @Test
    void anH2cUpgradeRequestIsAnsweredOverHttp11() throws Exception {
        ServiceMetrics metrics = ServiceMetrics.of("upgrade");
        int port = TestBus.await(metrics.serve(vertx, "127.0.0.1", 0));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertThat(status).as("no 101 Switching Protocols: Prometheus' HTTP/1.1 answer").isEqualTo("HTTP/1.1 200 OK");
        } finally {
            TestBus.await(metrics.stop());
            metrics.close();
        }
    }

    static double value(String page, String name, Map<String, String> labels) {
        return PrometheusText.sum(PrometheusText.parse(page), name, labels);
    }

    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return PrometheusText.value(samples, name, labels);
    }

    static String scrape(int port) throws Exception {
        return TestBus.await(http.request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
                .compose(req -> req.send().compose(resp -> {
                    assertThat(resp.getHeader("Content-Type")).startsWith("text/plain");
                    return resp.body();
                }))).toString();
    }
}
