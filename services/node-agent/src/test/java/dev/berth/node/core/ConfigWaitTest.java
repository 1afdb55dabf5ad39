package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static dev.berth.node.core.Fixtures.statuses;
import static dev.berth.node.core.Fixtures.withPod;
import static dev.berth.node.core.Fixtures.withPods;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodStatusChanged;
import org.junit.jupiter.api.Test;

/** A container held back by a missing ConfigMap or Secret: waits, no restart counted, tried again every 2 s. */
class ConfigWaitTest {

    @Test
    void aMissingSecretWaitsInCreateContainerConfigErrorAndIsTriedAgain() {
        NodeState s = NodeCore.reconcile(withPods("web-a"), T0).state();
        Decision<NodeState> d = Restarts.startFailed(s, "web-a", PodConfig.MISSING_ENV_SOURCE, "secret \"db\" not found", T0);
        PodStatusChanged waiting = statuses(d).get(statuses(d).size() - 1);
        assertThat(waiting.state()).isEqualTo(ContainerState.Waiting);
        assertThat(waiting.reason()).isEqualTo("CreateContainerConfigError");
        assertThat(waiting.message()).isEqualTo("secret \"db\" not found");
        assertThat(waiting.restartCount()).isZero();
        assertThat(NodeCore.nextWakeUp(d.state())).contains(at(2));
        assertThat(NodeCore.reconcile(d.state(), at(1)).effects()).isEmpty();

        Decision<NodeState> retry = NodeCore.reconcile(d.state(), at(2));
        assertThat(retry.effects()).containsExactly(new NodeAction.StartContainer("web-a", s.desired().get("web-a").template(), 0, 0));
        assertThat(retry.state().pulls().entries()).isEmpty();
        NodeState started = NodeCore.started(retry.state(), "web-a", 7, at(3)).state();
        assertThat(started.actual().get("web-a").restarts()).isZero();
    }

    @Test
    void aMissingVolumeSourceWaitsInContainerCreatingWhateverTheRestartPolicy() {
        NodeState s = NodeCore.reconcile(withPod("job", "Never"), T0).state();
        String why = "MountVolume.SetUp failed for volume \"config\" : configmap \"web\" not found";
        Decision<NodeState> d = Restarts.startFailed(s, "job", PodConfig.FAILED_MOUNT, why, T0);
        PodStatusChanged waiting = statuses(d).get(statuses(d).size() - 1);
        assertThat(waiting.reason()).isEqualTo("ContainerCreating");
        assertThat(waiting.message()).isEqualTo(why);
        for (int i = 1; i <= 3; i++) {
            Decision<NodeState> retry = NodeCore.reconcile(d.state(), at(2L * i));
            assertThat(retry.effects()).hasSize(1);
            d = Restarts.startFailed(retry.state(), "job", PodConfig.FAILED_MOUNT, why, at(2L * i));
            assertThat(d.state().actual().get("job").restarts()).isZero();
        }
    }
}
