package dev.berth.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateRebuildTest {

    private final List<RawRecord> log = new ArrayList<>();
    private long clock = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    private Envelope write(String topic, int partition, Payload payload) {
        clock += 10;
        Envelope env = Envelope.spontaneous(payload, "controller", Instant.ofEpochMilli(clock));
        long offset = log.stream().filter(r -> r.topic().equals(topic) && r.partition() == partition).count();
        // Keyed as its writer keys it: the door sets aside a node's record under another key.
        log.add(new RawRecord(topic, partition, offset, clock, dev.berth.bus.Topic.byName(topic).keyOf(payload), Json.encode(env)));
        return env;
    }

    @Test
    void foldsTopicsInTimeOrderWhateverOrderTheyWereReadIn() {
        write("berth.deployments", 0, new DeploymentApplied(Samples.deployment("web", 1), 1));
        write("berth.pods", 0, new PodCreated("web-aaaaa", "web", 1, Samples.template()));
        write("berth.pod-status", 0, new PodStatusChanged("web-aaaaa", "node-1", ContainerState.Running, null, null, null, 0));
        Envelope scaled = write("berth.deployments", 0, new DeploymentScaled("web", 0, 2));
        write("berth.pods", 0, new PodDeletionRequested("web-aaaaa", "web", "scaled down to 0 replicas"));
        write("berth.pod-status", 0, new PodStatusChanged("web-aaaaa", "node-1", ContainerState.Stopped, 0, null, null, 0));
        // LogReader hands over whole topics one after another: statuses first here.
        List<RawRecord> readOrder = new ArrayList<>(log);
        readOrder.sort((a, b) -> a.topic().equals("berth.pod-status") == b.topic().equals("berth.pod-status") ? 0
                : a.topic().equals("berth.pod-status") ? -1 : 1);

        StateRebuild.Folded folded = StateRebuild.fold(readOrder, java.time.Instant.now());

        assertThat(folded.state().pods()).isEmpty();
        assertThat(folded.state().deployment("web").orElseThrow().replicas()).isZero();
        assertThat(folded.state().nextSerial("web")).isEqualTo(1);
        // Pod events of "web" answer its latest deployment event: the rebuilt state knows so.
        assertThat(folded.state().causeOf("web")).isEqualTo(dev.berth.bus.Cause.of(scaled));
        assertThat(folded.unreadable()).isZero();
    }

    @Test
    void skipsUnreadableRecordsAndGoesOn() {
        write("berth.deployments", 0, new DeploymentApplied(Samples.deployment("web", 2), 1));
        log.add(new RawRecord("berth.pods", 0, 0, clock + 1, "x", "not json"));

        StateRebuild.Folded folded = StateRebuild.fold(log, java.time.Instant.now());

        assertThat(folded.unreadable()).isEqualTo(1);
        assertThat(folded.state().deployments()).containsKey("web");
    }

    @Test
    void foldsNodeStatusesPlacementsAndLostPods() {
        write("berth.deployments", 0, new DeploymentApplied(Samples.deployment("web", 2), 1));
        write("berth.pods", 0, new PodCreated("web-aaaaa", "web", 1, Samples.template()));
        write("berth.pods", 1, new PodCreated("web-bbbbb", "web", 1, Samples.template()));
        write("berth.placements", 0, new PodPlaced("web-aaaaa", "node-1", "web", Samples.template(), 2, null, null));
        write("berth.placements", 1, new PodPlaced("web-bbbbb", "node-2", "web", Samples.template(), 2, null, null));
        write("berth.nodes", 0, new NodeStatusChanged("node-1", NodeCondition.Ready, true, "cordoned by an operator", null));
        write("berth.nodes", 1, new NodeStatusChanged("node-2", NodeCondition.NotReady, false, "no heartbeat for 3 s", null));
        write("berth.pods", 1, new PodLost("web-bbbbb", "web", "node-2", "node node-2 NotReady"));

        StateRebuild.Folded folded = StateRebuild.fold(log, java.time.Instant.now());

        assertThat(folded.state().pods()).containsOnlyKeys("web-aaaaa");
        assertThat(folded.state().pods().get("web-aaaaa").node()).isEqualTo("node-1");
        assertThat(folded.state().nodes().get("node-1").cordoned()).isTrue();
        assertThat(folded.state().nodes().get("node-2").condition()).isEqualTo(NodeCondition.NotReady);
        assertThat(StateRebuild.FROM_BEGINNING).contains(dev.berth.bus.Topic.NODES, dev.berth.bus.Topic.PLACEMENTS);
    }

    @Test
    void foldsServicesAndPodAddressesIntoTheConfiguredRanges() {
        ControllerOptions options = ControllerOptions.defaults().withServices("10.100.0.0/16", "31000-31999");
        write("berth.services", 0, new dev.berth.bus.contract.ServiceApplied(new dev.berth.bus.contract.ServiceSpec(null, "web",
                dev.berth.bus.contract.ServiceSpec.NODE_PORT, "10.100.0.20", java.util.Map.of("app", "web"),
                List.of(new dev.berth.bus.contract.ServicePort(null, "TCP", 80, 0, null, 31080, null)), null)));
        write("berth.services", 1, new dev.berth.bus.contract.ServiceApplied(new dev.berth.bus.contract.ServiceSpec(null, "gone",
                null, "10.100.0.11", java.util.Map.of(), List.of(dev.berth.bus.contract.ServicePort.tcp(null, 80, 0)), null)));
        write("berth.services", 1, new dev.berth.bus.contract.ServiceDeleted(null, "gone"));
        write("berth.pods", 0, new PodCreated("web-aaaaa", "web", 1, Samples.template()));
        write("berth.pod-status", 0, new PodStatusChanged("web-aaaaa", "node-1", ContainerState.Running, null, null, null, 0, null, "10.244.0.5", true));

        StateRebuild.Folded folded = StateRebuild.fold(options.emptyState(), log, java.time.Instant.now());

        assertThat(folded.state().services()).containsOnlyKeys("web");
        assertThat(folded.state().clusterIps().clusterIpOf("default/web")).contains("10.100.0.20");
        assertThat(folded.state().clusterIps().allocated()).isEqualTo(1);
        assertThat(folded.state().nodePorts().portsOf("default/web")).containsExactly(31080);
        assertThat(folded.state().pods().get("web-aaaaa").podIP()).isEqualTo("10.244.0.5");
        assertThat(folded.state().pods().get("web-aaaaa").ready()).isTrue();
        assertThat(StateRebuild.FROM_BEGINNING).contains(dev.berth.bus.Topic.SERVICES);
    }

    @Test
    void serviceOptionsAreCheckedAtOnce() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControllerOptions.defaults().withServices("10.0.0.0/8", null))
                .hasMessageContaining("too large");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControllerOptions.defaults().withServices(null, "30000"))
                .hasMessageContaining("invalid NodePort range '30000'");
        assertThat(ControllerOptions.defaults().serviceCidr()).isEqualTo("10.96.0.0/12");
        assertThat(ControllerOptions.defaults().nodePortRange()).isEqualTo("30000-32767");
    }

    @Test
    void autoscalersComeBackFromBerthAutoscalers() {
        var web = new dev.berth.bus.contract.HorizontalPodAutoscalerSpec(null, "web", dev.berth.bus.contract.ScaleTargetRef.deployment("web"),
                null, 5, List.of(), null).withDefaults();
        var gone = new dev.berth.bus.contract.HorizontalPodAutoscalerSpec(null, "gone", dev.berth.bus.contract.ScaleTargetRef.deployment("gone"),
                2, 3, List.of(dev.berth.bus.contract.MetricSpec.requestsPerSecond(10_000)), null).withDefaults();
        write("berth.autoscalers", 0, new dev.berth.bus.contract.HorizontalPodAutoscalerApplied(web));
        write("berth.autoscalers", 1, new dev.berth.bus.contract.HorizontalPodAutoscalerApplied(gone));
        write("berth.autoscalers", 1, new dev.berth.bus.contract.HorizontalPodAutoscalerDeleted(null, "gone"));

        StateRebuild.Folded folded = StateRebuild.fold(log, java.time.Instant.now());

        assertThat(folded.unreadable()).isZero();
        assertThat(folded.state().autoscalers()).containsOnlyKeys("web");
        assertThat(folded.state().autoscaler("web")).contains(web);
        assertThat(StateRebuild.FROM_BEGINNING).contains(dev.berth.bus.Topic.AUTOSCALERS);
    }
}
