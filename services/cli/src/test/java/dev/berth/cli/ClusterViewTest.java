package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterViewTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    final ClusterView view = new ClusterView();

    void at(int second, Payload p) { view.apply(Envelope.spontaneous(p, "test", T0.plusSeconds(second))); }

    @Test
    void podGoesFromPendingToRunningToGone() {
        at(0, new DeploymentApplied(Samples.deployment("web", 1), 1));
        at(1, new PodCreated("web-a", "web", 1, Samples.template()));
        assertThat(view.pods().get(0).phase()).isEqualTo("Pending");

        at(2, new PodPlaced("web-a", "node-1", "web", Samples.template(), 1, Map.of(), List.of()));
        at(3, new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "pid 1", 0));
        assertThat(view.pods().get(0).phase()).isEqualTo("Running");
        assertThat(view.pods().get(0).node).isEqualTo("node-1");
        assertThat(view.readyPods("web")).isEqualTo(1);

        at(4, new PodDeletionRequested("web-a", "web", "scaled down"));
        assertThat(view.pods().get(0).phase()).isEqualTo("Terminating");
        at(5, new PodStatusChanged("web-a", "node-1", ContainerState.Stopped, null, "Deleted", "", 0));
        assertThat(view.pods()).isEmpty();
    }

    @Test
    void unschedulablePodShowsWhy() {
        at(0, new DeploymentApplied(Samples.deployment("web", 1), 1));
        at(1, new PodCreated("web-a", "web", 1, Samples.template()));
        at(2, new PodUnschedulable("web-a", "web", "0/1 nodes available: 1 Insufficient memory.", 1, Map.of()));

        assertThat(view.pods().get(0).message).contains("Insufficient memory");
        assertThat(GetCommand.podsTable(view, T0.plusSeconds(10))).contains("web-a").contains("Pending").contains("<none>");
    }

    @Test
    void deploymentsFollowScaleAndDelete() {
        at(0, new DeploymentApplied(Samples.deployment("web", 3), 1));
        at(1, new DeploymentScaled("web", 5, 2));
        assertThat(view.deployments().get(0).spec.replicas()).isEqualTo(5);
        assertThat(GetCommand.deploymentsJson(view)).contains("\"replicas\" : 5");

        at(2, new DeploymentDeleted("web", 3));
        assertThat(view.deployments()).isEmpty();
    }

    @Test
    void nodeIsNotReadyWhenHeartbeatsStop() {
        at(0, Samples.of(NodeHeartbeat.class));
        assertThat(view.nodes().get(0).status(T0.plusSeconds(3))).isEqualTo("Ready");
        assertThat(view.nodes().get(0).status(T0.plusSeconds(30))).isEqualTo("NotReady");
        assertThat(GetCommand.nodesTable(view, T0.plusSeconds(1))).contains("node-1").contains("Ready");
    }
}
