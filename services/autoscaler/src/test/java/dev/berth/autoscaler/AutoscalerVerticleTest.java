package dev.berth.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.EndpointTraffic;
import dev.berth.bus.contract.HorizontalPodAutoscalerApplied;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodMetrics;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ProxyMetrics;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.contract.ScaleTargetRef;
import dev.berth.bus.contract.ServiceTraffic;
import dev.berth.bus.testing.PrometheusText;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler service against a real broker, driven and judged only through topics: metrics in, a
 * ScaleDeployment on berth.commands and a status out; a restart rebuilds from the log without scaling twice; a
 * poison metrics record is set aside and the stream goes on.
 */
class AutoscalerVerticleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Down at once (no stabilization), at most halving per 15 s. */
    private static final HpaBehavior QUICK_DOWN = new HpaBehavior(null,
            new HpaScalingRules(0, "Max", List.of(new HpaScalingPolicy("Percent", 50, 15))));
    private static final AutoscalerOptions OPTIONS = AutoscalerOptions.defaults().withSyncPeriod(Duration.ofSeconds(1));

    private static TestBus bus;
    private static Vertx vertx;
    private static final List<String> running = new ArrayList<>();

    @BeforeAll
    static void start() {
        bus = TestBus.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        TestBus.await(vertx.close());
        bus.close();
    }

    static PodTemplate template() {
        return new PodTemplate("busybox", List.of("sh"), List.of(), Map.of(), new ResourceRequirements(ResourceList.of(500, 64L << 20), null),
                "Always", 1);
    }

    /** Deployment {@code name} with {@code replicas} Running, ready pods of 500m, as the controller and a node would report them. */
    static void deployment(String name, int replicas) {
        bus.send(Topic.DEPLOYMENTS, name, new DeploymentApplied(new DeploymentSpec(name, replicas, template()), 1));
        for (int i = 0; i < replicas; i++) runningPod(name, i);
    }

    static void runningPod(String deployment, int i) {
        String pod = deployment + "-" + i;
        bus.send(Topic.PODS, pod, new PodCreated(pod, deployment, 1, template()));
        bus.send(Topic.POD_STATUS, pod, new PodStatusChanged(pod, "node-1", ContainerState.Running, null, null, null, 0).withReady(true));
    }

    static void autoscaler(String name, MetricSpec metric, HpaBehavior behavior) {
        bus.send(Topic.AUTOSCALERS, name, new HorizontalPodAutoscalerApplied(
                new HorizontalPodAutoscalerSpec("default", name, ScaleTargetRef.deployment(name), 1, 5, List.of(metric), behavior).withDefaults()));
    }

    /** One node's sample of {@code deployment}'s pods, each using {@code millicores}, over the last second. */
    static void cpu(String deployment, int pods, long millicores) {
        List<PodMetrics> samples = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            samples.add(new PodMetrics("default", deployment + "-" + i, deployment, List.of(new ContainerMetrics("app", millicores, 10L << 20))));
        }
        bus.send(Topic.RESOURCE_METRICS, "node-1", new NodeMetrics("node-1", Instant.now(), 1000, 0, 0, samples));
    }

    static List<ScaleDeployment> scales(String deployment) {
        return bus.payloads(Topic.COMMANDS, ScaleDeployment.class).stream().filter(s -> s.name().equals(deployment)).toList();
    }

    static ScaleDeployment awaitScale(String deployment, Predicate<ScaleDeployment> match) {
        return bus.await(Topic.COMMANDS, ScaleDeployment.class, s -> s.name().equals(deployment) && match.test(s), WAIT);
    }

    /**
     * Sends samples every second, as node agents and proxies do, until a matching scale is sent: a sample read before
     * the autoscaler knows the pods counts for nothing (the next one does), as in a real cluster.
     */
    static ScaleDeployment sampleUntilScaled(String deployment, java.util.function.IntConsumer sample, Predicate<ScaleDeployment> match) {
        ScaleDeployment[] found = new ScaleDeployment[1];
        int[] round = {0};
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            sample.accept(round[0]++);
            found[0] = scales(deployment).stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** One autoscaler at a time: a second would fence the first (one transactional id). */
    static String deploy(ServiceMetrics metrics) throws Exception {
        String id = TestBus.await(vertx.deployVerticle(new AutoscalerVerticle(bus.config(), OPTIONS, metrics)));
        running.add(id);
        return id;
    }

    @AfterEach
    void undeploy() throws Exception {
        for (String id : running) if (vertx.deploymentIDs().contains(id)) TestBus.await(vertx.undeploy(id));
        running.clear();
    }

    @Test
    void scalesUpOnCpuSurvivesARestartAndAPoisonRecordThenScalesDown() throws Exception {
        ServiceMetrics metrics = ServiceMetrics.of("autoscaler");
        String first = deploy(metrics);
        autoscaler("cpu", MetricSpec.cpuUtilization(50), QUICK_DOWN);
        deployment("cpu", 2);
        Thread.sleep(1200); // a cpu sample's window must begin after its pod became ready (Kubernetes' initialization rule)
        // 80 % of a 50 % target: ceil(1.6 × 2) = 4.
        ScaleDeployment up = sampleUntilScaled("cpu", round -> cpu("cpu", 2, 400), s -> true);
        assertThat(up.replicas()).as(up.reason()).isEqualTo(4);
        assertThat(up.reason()).startsWith("New size: 4; reason: cpu resource utilization (percentage of request) above target (80%/50%)");
        HorizontalPodAutoscalerStatus status = bus.await(Topic.AUTOSCALER_STATUS, HorizontalPodAutoscalerStatus.class,
                s -> s.name().equals("cpu") && s.desiredReplicas() == 4, WAIT);
        assertThat(status.currentReplicas()).isEqualTo(2);
        assertThat(status.lastScaleTime()).isNotNull();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                // At least: the other test's autoscaler, never answered by a controller here, may be scaled again by this one.
                .until(() -> PrometheusText.sum(PrometheusText.parse(metrics.scrape()), "berth_autoscaler_scales_total", Map.of("direction", "up")) >= 1);

        // The controller lands it and two more pods start; then the autoscaler restarts.
        bus.send(Topic.DEPLOYMENTS, "cpu", new DeploymentScaled("cpu", 4, 2, "default", up.reason()));
        runningPod("cpu", 2);
        runningPod("cpu", 3);
        TestBus.await(vertx.undeploy(first));
        deploy(null);

        // A hostile record on a metrics topic is set aside with its reason; the samples after it still count.
        bus.send(Topic.RESOURCE_METRICS, "node-1", "{\"not\": \"an envelope\"");
        Thread.sleep(1200);

        // 20 % of 50 % asks for ceil(0.4 × 4) = 2, which the policy allows (50 % of 4 per 15 s).
        ScaleDeployment down = sampleUntilScaled("cpu", round -> cpu("cpu", 4, 100), s -> s.replicas() < 4);
        assertThat(down.replicas()).isEqualTo(2);
        assertThat(down.reason()).contains("below target");
        assertThat(scales("cpu")).as("the restart did not scale again").extracting(ScaleDeployment::replicas).containsExactly(4, 2);
        Awaitility.await().atMost(WAIT).until(() -> deadLetters().stream().anyMatch(r -> "berth.resource-metrics".equals(r.key())
                && r.value().contains("\"consumer\":\"autoscaler\"") && r.value().contains("not valid JSON")));
    }

    @Test
    void scalesOnRequestsPerSecondFromTheProxies() throws Exception {
        deploy(null);
        autoscaler("rps", MetricSpec.requestsPerSecond(10_000), null); // 10 requests per second per pod
        deployment("rps", 2);
        Instant t0 = Instant.now();
        // 20 requests per second per pod, counted by node 1's proxy: twice the target.
        ScaleDeployment up = sampleUntilScaled("rps", round -> bus.send(Topic.PROXY_METRICS, "node-1",
                traffic(t0.plusSeconds(round), 20L * round)), s -> true);
        assertThat(up.replicas()).isEqualTo(4);
        assertThat(up.reason()).contains("requests_per_second").contains("above target");
    }

    /** Node 1's proxy counters: each rps pod has answered {@code requests}. */
    static ProxyMetrics traffic(Instant at, long requests) {
        List<EndpointTraffic> endpoints = List.of(new EndpointTraffic("rps-0", "10.244.0.2", 1, 0, requests),
                new EndpointTraffic("rps-1", "10.244.0.3", 1, 0, requests));
        return new ProxyMetrics("node-1", at, List.of(new ServiceTraffic("default", "rps", 2, 0, 2 * requests, 0, 0, 0, 0, endpoints)));
    }

    private static List<RawRecord> deadLetters() {
        List<RawRecord> records = new ArrayList<>();
        LogReader.readAll(bus.config(), List.of(Topic.DEAD_LETTERS), records::add);
        return records;
    }
}
