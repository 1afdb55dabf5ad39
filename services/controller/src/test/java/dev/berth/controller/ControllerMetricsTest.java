package dev.berth.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.bus.testing.PrometheusText;
import dev.berth.bus.testing.PrometheusText.Sample;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The controller's /metrics, read with Prometheus' own parser: commands answered by outcome, pods by phase, the loop's series. */
class ControllerMetricsTest {
    private static TestBus bus;
    private static Vertx vertx;
    private static final ServiceMetrics metrics = ServiceMetrics.of("controller");

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), ControllerOptions.defaults(), metrics)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
        metrics.close();
    }

    @Test
    void commandsPodsAndTheLoopAreCounted() {
        bus.sendCommand(new ApplyDeployment(new DeploymentSpec("web", 3, Samples.template())));
        bus.sendCommand(new ScaleDeployment("missing", 2)); // rejected: no such deployment

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Sample> s = PrometheusText.parse(metrics.scrape());
            return sum(s, "berth_commands_total", Map.of("outcome", "rejected")) == 1 && sum(s, "berth_pods", Map.of("phase", "Pending")) == 3;
        });
        List<Sample> samples = PrometheusText.parse(metrics.scrape());
        assertThat(sum(samples, "berth_commands_total", Map.of("type", "ApplyDeployment", "outcome", "accepted"))).isEqualTo(1);
        assertThat(sum(samples, "berth_commands_total", Map.of("type", "ScaleDeployment", "outcome", "rejected"))).isEqualTo(1);
        assertThat(sum(samples, "berth_pods", Map.of("phase", "Running"))).isZero();
        assertThat(sum(samples, "berth_deployments", Map.of())).isEqualTo(1);
        assertThat(sum(samples, "berth_records_processed_total", Map.of("source", "commands"))).isEqualTo(2);
        assertThat(sum(samples, "berth_unit_commit_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(samples).allSatisfy(s -> assertThat(s.labels()).containsEntry("service", "controller"));
    }

    static double sum(List<Sample> samples, String name, Map<String, String> labels) {
        return PrometheusText.sum(samples, name, labels);
    }
}
