package dev.berth.controller.core;

import static dev.berth.controller.core.Harness.created;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.ScaleDeployment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventAppliersTest {

    private static final Instant AT = Harness.T0;

    @Test
    void heartbeatsMakeTheirImagesKnownWithWhenTheyWereSeen() {
        Harness h = Harness.withImages("busybox", "alpine");
        h.heartbeat("node-2", "alpine");

        assertThat(h.state.knownImages()).containsExactly("alpine", "busybox");
        assertThat(h.state.images().get("alpine")).isAfter(h.state.images().get("busybox"));
        assertThat(h.state.nodes()).containsOnlyKeys("node-1", "node-2");
        assertThat(h.state.nodes().get("node-2").images()).containsExactly("alpine");
    }

    @Test
    void aScaleOfAnUnknownDeploymentIsIgnored() {
        assertThat(EventAppliers.apply(ControllerState.empty(), new DeploymentScaled("x", 3, 2), AT)).isEqualTo(ControllerState.empty());
    }

    @Test
    void aRepeatedPodCreatedTakesNoSecondSerial() {
        PodCreated pod = new PodCreated("web-aaaaa", "web", 1, Samples.template());
        ControllerState once = EventAppliers.apply(ControllerState.empty(), pod, AT);
        ControllerState twice = EventAppliers.apply(once, pod, AT);

        assertThat(twice).isEqualTo(once);
        assertThat(twice.nextSerial("web")).isEqualTo(1);
    }

    @Test
    void repeatedDeploymentEventsLeaveTheSameState() {
        DeploymentApplied applied = new DeploymentApplied(Samples.deployment("web", 3), 4);
        ControllerState once = EventAppliers.apply(ControllerState.empty(), applied, AT);
        assertThat(EventAppliers.apply(once, applied, AT)).isEqualTo(once);
    }

    @Test
    void podStatusIsRecorded() {
        ControllerState s = EventAppliers.apply(ControllerState.empty(), new PodCreated("web-aaaaa", "web", 1, Samples.template()), AT);
        s = EventAppliers.apply(s, new PodStatusChanged("web-aaaaa", "node-3", ContainerState.Exited, 2, "Error", "boom", 1), AT);

        PodRecord pod = s.pods().get("web-aaaaa");
        assertThat(pod.state()).isEqualTo(ContainerState.Exited);
        assertThat(pod.exitCode()).isEqualTo(2);
        assertThat(pod.node()).isEqualTo("node-3");
    }

    @Test
    void onlyTheNodeAPodIsBoundToReportsItsStatus() {
        ControllerState s = EventAppliers.apply(ControllerState.empty(), new PodCreated("web-aaaaa", "web", 1, Samples.template()), AT);
        s = EventAppliers.apply(s, new PodPlaced("web-aaaaa", "node-1", "web", Samples.template(), 1, null, null), AT);
        s = EventAppliers.apply(s, new PodStatusChanged("web-aaaaa", "node-1", ContainerState.Running, null, null, null, 0), AT);
        // Any node's principal may write berth.pod-status: node-2 cannot speak for node-1's pod.
        ControllerState forged = EventAppliers.apply(s, new PodStatusChanged("web-aaaaa", "node-2", ContainerState.Exited, 1, "Error", "forged", 0), AT);

        assertThat(forged).isEqualTo(s);
        assertThat(forged.pods().get("web-aaaaa").state()).isEqualTo(ContainerState.Running);
    }

    @Test
    void statusOfAPodTheControllerDoesNotKnowIsIgnored() {
        assertThat(EventAppliers.apply(ControllerState.empty(),
                new PodStatusChanged("ghost-aaaaa", "node-1", ContainerState.Running, null, null, null, 0), AT))
                .isEqualTo(ControllerState.empty());
    }

    @Test
    void aStoppedStatusReadBeforeTheDeletionRequestStillEndsWithThePodForgotten() {
        Harness h = Harness.withImages("busybox");
        h.command(new ApplyDeployment(Samples.deployment("web", 1)));
        String pod = created(h.reconcile()).get(0).pod();
        h.status(pod, ContainerState.Stopped);

        h.command(new DeleteDeployment("web"));
        h.reconcile();

        assertThat(h.state.pods()).isEmpty();
    }

    @Test
    void eventsTheControllerDoesNotTrackChangeNothing() {
        ControllerState s = Harness.withImages("busybox").state;
        assertThat(EventAppliers.apply(s, (PodPlaced) Samples.of(PodPlaced.class), AT)).isEqualTo(s);
        assertThat(EventAppliers.apply(s, (CommandRejected) Samples.of(CommandRejected.class), AT)).isEqualTo(s);
    }

    @Test
    void rebuildingByFoldingTheLogReproducesTheLiveState() {
        Harness h = Harness.withImages("busybox");
        h.heartbeat("node-2", "busybox", "alpine");
        h.command(new ApplyDeployment(Samples.deployment("web", 3)));
        h.command(new ApplyDeployment(Samples.deployment("api", 2)));
        List<PodCreated> pods = created(h.reconcile());
        pods.forEach(p -> h.status(p.pod(), ContainerState.Running));
        h.command(new ScaleDeployment("web", 1));
        h.reconcile();
        h.status(pods.get(pods.size() - 1).pod(), ContainerState.Stopped);
        h.command(new ApplyDeployment(new dev.berth.bus.contract.DeploymentSpec("api", 2,
                new dev.berth.bus.contract.PodTemplate("alpine", List.of(), List.of(), null, Samples.template().resources(), "Never", 0))));
        h.reconcile();
        h.command(new DeleteDeployment("web"));
        h.reconcile();
        h.command(new ScaleDeployment("nope", 1)); // a rejection: leaves no trace in state

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);

        assertThat(rebuilt).isEqualTo(h.state);
        assertThat(Reconciler.decide(rebuilt)).isEmpty();
    }
}
