package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.testing.PrometheusText;
import dev.berth.bus.testing.PrometheusText.Sample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service of a one-node local stack serves a /metrics page Prometheus' own parser takes, with its key series
 * (docs/operations.md "Prometheus metrics"), once a Deployment behind a NodePort Service with an autoscaler has run
 * and answered a request.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class LocalStackMetricsE2ETest {
    @TempDir Path home;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyServiceServesItsKeySeries() throws Exception {
        assertThat(AutoscalingE2ETest.listening(AutoscalingE2ETest.NODE_PORT)).as("another local stack runs on this host").isFalse();
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1))) {
            AutoscalingE2ETest.stack = stack;
            try {
                CliRun apply = AutoscalingE2ETest.berth("apply", "-f", Files.writeString(home.resolve("echo.yaml"), AutoscalingE2ETest.ECHO).toString());
                assertThat(apply.code()).as(apply.err()).isZero();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(AutoscalingE2ETest::answers);
            } finally {
                AutoscalingE2ETest.stack = null;
            }
            Map<String, Integer> ports = stack.metricsPorts();
            assertThat(ports).containsOnlyKeys("controller", "scheduler", "autoscaler", "node-1", "proxy/node-1");

            // HTTP/1.1 as Prometheus scrapes: the JDK client's default h2c upgrade gets a 101 from the metrics server, then nothing.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            // The proxy and the autoscaler count what they saw after the first report or evaluation: wait for both.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                    PrometheusText.sum(scrape(http, ports.get("proxy/node-1")), "berth_proxy_requests_total", Map.of("service_name", "echo")) >= 1
                            && PrometheusText.sum(scrape(http, ports.get("autoscaler")), "berth_autoscaler_statuses_total", Map.of()) >= 1);

            Map<String, List<String>> keySeries = Map.of(
                    "controller", List.of("berth_records_processed_total", "berth_pods", "berth_deployments", "berth_services", "berth_commands_total"),
                    "scheduler", List.of("berth_records_processed_total", "berth_scheduling_attempts_total", "berth_scheduling_latency_seconds_count"),
                    "autoscaler", List.of("berth_records_processed_total", "berth_autoscalers", "berth_autoscaler_statuses_total"),
                    "node-1", List.of("berth_records_processed_total", "berth_container_starts_total", "berth_container_start_seconds_count"),
                    "proxy/node-1", List.of("berth_proxy_connections_total", "berth_proxy_requests_total", "berth_proxy_request_duration_seconds_count"));
            for (var e : keySeries.entrySet()) {
                List<Sample> page = scrape(http, ports.get(e.getKey()));
                System.out.printf("%s (127.0.0.1:%d): %d samples, %s%n", e.getKey(), ports.get(e.getKey()), page.size(),
                        e.getValue().stream().map(n -> n + "=" + PrometheusText.sum(page, n, Map.of())).toList());
                assertThat(page).as("%s's samples carry their service", e.getKey()).allSatisfy(s -> assertThat(s.labels()).containsKey("service"));
                for (String name : e.getValue()) {
                    assertThat(page).as("%s serves %s", e.getKey(), name).anySatisfy(s -> assertThat(s.name()).isEqualTo(name));
                }
            }
            List<Sample> autoscaler = scrape(http, ports.get("autoscaler"));
            assertThat(PrometheusText.value(autoscaler, "berth_autoscalers", Map.of())).isEqualTo(1);
            assertThat(PrometheusText.sum(scrape(http, ports.get("node-1")), "berth_container_starts_total", Map.of())).isGreaterThanOrEqualTo(1);
            assertThat(PrometheusText.sum(scrape(http, ports.get("controller")), "berth_records_processed_total", Map.of())).isPositive();
        }
    }

    static List<Sample> scrape(HttpClient http, int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return PrometheusText.parse(r.body());
    }
}
