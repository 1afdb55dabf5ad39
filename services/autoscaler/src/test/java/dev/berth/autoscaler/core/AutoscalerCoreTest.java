package dev.berth.autoscaler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.EndpointTraffic;
import dev.berth.bus.contract.HorizontalPodAutoscalerApplied;
import dev.berth.bus.contract.HorizontalPodAutoscalerDeleted;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaCondition;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodMetrics;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ProxyMetrics;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.contract.ScaleTargetRef;
import dev.berth.bus.contract.ServiceTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The core as the loop drives it: records fold in and touch their autoscalers, which are evaluated after the batch
 * (and on ticks); at most one ScaleDeployment until it lands; statuses when they change; manual scales overridden.
 */
class AutoscalerCoreTest {
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
    static final AutoscalerCore CORE = new AutoscalerCore(AutoscalerCore.Settings.defaults());
    static final HpaBehavior QUICK = new HpaBehavior(HpaScalingRules.defaultScaleUp(),
            new HpaScalingRules(10, "Max", List.of(new HpaScalingPolicy("Percent", 100, 15))));

    AutoscalerState state = AutoscalerState.EMPTY;
    Instant now = T0;

    static PodTemplate template(long cpuRequest) {
        return new PodTemplate("busybox", List.of("sh"), List.of(), Map.of(), new ResourceRequirements(ResourceList.of(cpuRequest, 64L << 20), null),
                "Always", 1);
    }

    /** Folds {@code payloads} as one batch at {@code now}, then evaluates what they touched; returns the outputs. */
    List<Outbound> batch(Payload... payloads) {
        for (Payload p : payloads) state = Fold.apply(state, Envelope.spontaneous(p, "test", now));
        Decision<AutoscalerState> d = CORE.evaluate(state.withDirty(org.pcollections.HashTreePSet.empty()), new java.util.TreeSet<>(state.dirty()), now);
        state = d.state();
        return d.outputs();
    }

    List<Outbound> tick() {
        Decision<AutoscalerState> d = CORE.onInput(state, new AutoscalerCore.Tick(), now);
        state = d.state();
        return d.outputs();
    }

    void later(long seconds) { now = now.plusSeconds(seconds); }

    static List<ScaleDeployment> scales(List<Outbound> out) {
        return out.stream().map(Outbound::payload).filter(ScaleDeployment.class::isInstance).map(ScaleDeployment.class::cast).toList();
    }

    static List<HorizontalPodAutoscalerStatus> statuses(List<Outbound> out) {
        return out.stream().map(Outbound::payload).filter(HorizontalPodAutoscalerStatus.class::isInstance)
                .map(HorizontalPodAutoscalerStatus.class::cast).toList();
    }

    NodeMetrics cpu(long... millicores) {
        List<PodMetrics> pods = new ArrayList<>();
        for (int i = 0; i < millicores.length; i++) {
            pods.add(new PodMetrics("default", "web-" + i, "web", List.of(new ContainerMetrics("app", millicores[i], 10L << 20))));
        }
        return new NodeMetrics("node-1", now, 1000, 0, 0, pods);
    }

    /** An HPA on web (cpu 50 %), web with {@code replicas} Running and ready pods of 500m, ready long enough ago. */
    void cluster(int replicas, HpaBehavior behavior) {
        List<Payload> setup = new ArrayList<>();
        setup.add(new HorizontalPodAutoscalerApplied(new HorizontalPodAutoscalerSpec("default", "web", ScaleTargetRef.deployment("web"), 1, 10,
                List.of(MetricSpec.cpuUtilization(50)), behavior)));
        setup.add(new DeploymentApplied(new DeploymentSpec("web", replicas, template(500)), 1));
        for (int i = 0; i < replicas; i++) {
            setup.add(new PodCreated("web-" + i, "web", 1, template(500)));
            setup.add(new PodStatusChanged("web-" + i, "node-1", ContainerState.Running, null, null, null, 0).withReady(true));
        }
        batch(setup.toArray(Payload[]::new));
        later(2); // a sample's 1 s window must start after the pods became ready (Kubernetes' cpu initialization rule)
    }

    @Test
    void highCpuScalesUpOnceUntilTheScaleLands() {
        cluster(2, null);
        List<Outbound> out = batch(cpu(800, 800));
        // 160 % of 50 % asks for ceil(3.2 × 2) = 7; Kubernetes' default rate allows +4 pods per 15 s: 6.
        assertThat(scales(out)).containsExactly(new ScaleDeployment("web", 6, "default",
                "New size: 6; reason: cpu resource utilization (percentage of request) above target (160%/50%)"));
        Outbound command = out.stream().filter(o -> o.payload() instanceof ScaleDeployment).findFirst().orElseThrow();
        assertThat(command.topic()).isEqualTo(Topic.COMMANDS);
        assertThat(command.key()).isEqualTo("web");
        HorizontalPodAutoscalerStatus status = statuses(out).get(0);
        assertThat(status.desiredReplicas()).isEqualTo(6);
        assertThat(status.lastScaleTime()).isEqualTo(now);
        assertThat(status.conditions()).extracting(HpaCondition::reason).containsExactly("SucceededRescale", "ValidMetricFound", "ScaleUpLimit");

        later(1);
        assertThat(scales(batch(cpu(900, 900)))).as("no flood while the first waits").isEmpty();
        assertThat(scales(tick())).isEmpty();

        later(1);
        batch(new DeploymentScaled("web", 6, 2, "default", "New size: 6; reason: cpu resource utilization (percentage of request) above target (160%/50%)"));
        assertThat(state.trackingOf("web").pending()).isNull();
        assertThat(state.trackingOf("web").upEvents()).containsExactly(new ScaleEvent(now, 4));
        // Four more pods, not started yet: unready, they count as using nothing on a scale-up: 2000m of 3000m is
        // 66 %, ceil(1.32 × 6) = 8 (the two busy ones alone would ask for 200 %: 16).
        for (int i = 2; i < 6; i++) batch(new PodCreated("web-" + i, "web", 2, template(500)));
        later(16);
        assertThat(scales(batch(cpu(1000, 1000)))).extracting(ScaleDeployment::replicas).containsExactly(8);
    }

    @Test
    void anUnansweredScaleIsSentAgainAfterTheTimeout() {
        cluster(2, null);
        assertThat(scales(batch(cpu(800, 800)))).hasSize(1);
        later(20);
        assertThat(scales(batch(cpu(800, 800)))).isEmpty();
        later(11);
        assertThat(scales(batch(cpu(800, 800)))).extracting(ScaleDeployment::replicas).containsExactly(6);
    }

    @Test
    void lowCpuScalesDownOnceTheWindowHasPassed() {
        cluster(4, QUICK);
        batch(new PodCreated("web-x", "web", 1, template(500))); // never mind: ignored below
        batch(new PodDeletionRequested("web-x", "web", "scale down"));
        List<Outbound> first = batch(cpu(25, 25, 25, 25));
        assertThat(scales(first)).as("the first evaluation holds the current size for the 10 s window").isEmpty();
        assertThat(statuses(first).get(0).conditions()).extracting(HpaCondition::reason).contains("ScaleDownStabilized");
        later(5);
        assertThat(scales(tick())).isEmpty();
        later(7);
        assertThat(scales(tick())).as("the window passed with no new sample: the tick scales").extracting(ScaleDeployment::replicas).containsExactly(1);
    }

    @Test
    void podsWithoutCpuRequestsMakeTheMetricInvalid() {
        batch(new HorizontalPodAutoscalerApplied(new HorizontalPodAutoscalerSpec("default", "web", ScaleTargetRef.deployment("web"), 1, 10,
                        List.of(MetricSpec.cpuUtilization(50)), null)),
                new DeploymentApplied(new DeploymentSpec("web", 1, template(0)), 1),
                new PodCreated("web-0", "web", 1, new PodTemplate("busybox", List.of(), List.of(), Map.of(), ResourceRequirements.NONE, "Always", 1)),
                new PodStatusChanged("web-0", "node-1", ContainerState.Running, null, null, null, 0));
        later(30);
        assertThat(scales(batch(cpu(900)))).isEmpty();
        HpaCondition active = state.trackingOf("web").lastStatus().conditions().get(1);
        assertThat(active.status()).isEqualTo("False");
        assertThat(active.reason()).isEqualTo("FailedGetResourceMetric");
        assertThat(active.message()).contains("missing request for cpu");
    }

    @Test
    void aStatusIsPublishedWhenItChangesNotOnEveryEvaluation() {
        cluster(2, null);
        assertThat(statuses(batch(cpu(260, 260)))).hasSize(1); // 52 %: within tolerance
        later(1);
        assertThat(statuses(batch(cpu(260, 260)))).isEmpty();
        assertThat(statuses(tick())).isEmpty();
        later(1);
        assertThat(statuses(batch(cpu(270, 270)))).as("a metric value alone waits for the status interval").isEmpty();
        later(5);
        assertThat(statuses(tick())).extracting(s -> s.currentMetrics().get(0).averageUtilization()).containsExactly(54);
    }

    @Test
    void aManualScaleIsOverriddenAndTheReasonSaysSo() {
        cluster(2, QUICK);
        later(1);
        batch(new DeploymentScaled("web", 7, 2, "default", null));
        for (int i = 2; i < 7; i++) {
            batch(new PodCreated("web-" + i, "web", 2, template(500)),
                    new PodStatusChanged("web-" + i, "node-1", ContainerState.Running, null, null, null, 0).withReady(true));
        }
        later(11);
        List<Outbound> out = batch(cpu(50, 50, 50, 50, 50, 50, 50));
        assertThat(scales(out)).extracting(ScaleDeployment::reason).containsExactly(
                "New size: 2; reason: All metrics below target (cpu resource utilization (percentage of request) 10%/50%)"
                        + " (replicas were set to 7 outside the autoscaler)");
    }

    @Test
    void requestsPerSecondComeFromSuccessiveProxyReports() {
        batch(new HorizontalPodAutoscalerApplied(new HorizontalPodAutoscalerSpec("default", "web", ScaleTargetRef.deployment("web"), 1, 10,
                        List.of(MetricSpec.requestsPerSecond(10_000)), null)),
                new DeploymentApplied(new DeploymentSpec("web", 2, template(100)), 1),
                new PodCreated("web-0", "web", 1, template(100)), new PodCreated("web-1", "web", 1, template(100)),
                new PodStatusChanged("web-0", "node-1", ContainerState.Running, null, null, null, 0),
                new PodStatusChanged("web-1", "node-1", ContainerState.Running, null, null, null, 0));
        later(5);
        assertThat(scales(batch(traffic(0, 0)))).isEmpty();
        later(5);
        // 300 and 100 requests in 5 s: 60/s and 20/s, 40/s on average against 10/s.
        List<Outbound> out = batch(traffic(300, 100));
        assertThat(scales(out)).extracting(ScaleDeployment::replicas).containsExactly(6); // 8, at most +4 per 15 s
        assertThat(scales(out).get(0).reason()).contains("pods metric requests_per_second above target (40/10)");
        // A counter that went down is a restarted proxy: no rate from that report.
        later(5);
        batch(new DeploymentScaled("web", 6, 2, "default", "New size: 6; reason: x"));
        Counter restarted = state.traffic().get("web-0").values().iterator().next();
        assertThat(restarted.perSecond()).isEqualTo(60.0);
        batch(traffic(10, 150));
        assertThat(state.traffic().get("web-0").values().iterator().next().perSecond()).isNull();
        assertThat(state.traffic().get("web-1").values().iterator().next().perSecond()).isEqualTo(10.0);
    }

    ProxyMetrics traffic(long web0, long web1) {
        return new ProxyMetrics("node-1", now, List.of(new ServiceTraffic("default", "web", 0, 0, web0 + web1, 0, 0, 0, 0)
                .withEndpoints(List.of(new EndpointTraffic("web-0", "10.0.0.2", 0, 0, web0), new EndpointTraffic("web-1", "10.0.0.3", 0, 0, web1)))));
    }

    @Test
    void aDeletedAutoscalerIsForgotten() {
        cluster(2, null);
        batch(new HorizontalPodAutoscalerDeleted("default", "web"));
        assertThat(batch(cpu(900, 900))).isEmpty();
        assertThat(state.tracking()).isEmpty();
    }

    @Test
    void aStatusReadBackKeepsTheLastScale() {
        cluster(2, null);
        HorizontalPodAutoscalerStatus published = statuses(batch(cpu(800, 800))).get(0);
        AutoscalerState rebuilt = AutoscalerState.EMPTY;
        rebuilt = Fold.apply(rebuilt, Envelope.spontaneous(published, "autoscaler", now));
        assertThat(rebuilt.trackingOf("web").lastScaleReason()).isEqualTo(published.reason());
        assertThat(rebuilt.trackingOf("web").lastStatus()).isEqualTo(published);
    }

    @Test
    void settingsDefaultsAreKubernetes() {
        var s = AutoscalerCore.Settings.defaults();
        assertThat(s.tolerance()).isEqualTo(0.1);
        assertThat(s.cpuInitializationPeriod()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.initialReadinessDelay()).isEqualTo(Duration.ofSeconds(30));
    }
}
