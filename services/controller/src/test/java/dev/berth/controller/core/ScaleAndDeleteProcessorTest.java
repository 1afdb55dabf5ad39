package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.ScaleDeployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScaleAndDeleteProcessorTest {

    private final Harness h = Harness.withImages("busybox");

    private void web(int replicas) {
        h.command(new ApplyDeployment(Samples.deployment("web", replicas)));
        h.reconcile();
    }

    @Test
    void scalesAnExistingDeploymentAndBumpsItsGeneration() {
        web(3);

        List<Event> events = h.command(new ScaleDeployment("web", 1));

        assertThat(events.get(0)).isEqualTo(new DeploymentScaled("web", 1, 2));
        assertThat(((CommandAccepted) events.get(1)).message()).isEqualTo("deployment web scaled from 3 to 1");
        assertThat(h.state.deployment("web").orElseThrow().spec()).isEqualTo(Samples.deployment("web", 1));
    }

    @Test
    void scalingToTheCurrentCountChangesNothing() {
        web(3);
        ControllerState before = h.state;

        List<Event> events = h.command(new ScaleDeployment("web", 3));

        assertThat(events).singleElement().isInstanceOfSatisfying(CommandAccepted.class,
                a -> assertThat(a.message()).isEqualTo("deployment web unchanged: already 3 replicas"));
        assertThat(h.state.deployments()).isEqualTo(before.deployments());
    }

    @Test
    void scalingAMissingDeploymentIsRejected() {
        CommandRejected r = h.rejected(new ScaleDeployment("x", 2));
        assertThat(r.reason()).isEqualTo("deployment 'x' not found");
        assertThat(r.commandType()).isEqualTo("ScaleDeployment");
        assertThat(r.target()).isEqualTo("x");
    }

    @Test
    void scalingOutOfRangeIsRejected() {
        web(3);
        assertThat(h.rejected(new ScaleDeployment("web", 10_001)).reason()).isEqualTo("replicas must be between 0 and 10000, got 10001");
        assertThat(h.rejected(new ScaleDeployment("web", -2)).reason()).isEqualTo("replicas must be between 0 and 10000, got -2");
    }

    @Test
    void scalingAMissingDeploymentOutOfRangeReportsBoth() {
        CommandRejected r = h.rejected(new ScaleDeployment("x", -1));
        assertThat(r.problems()).containsExactly("deployment 'x' not found", "replicas must be between 0 and 10000, got -1");
        assertThat(r.reason()).isEqualTo("deployment 'x' has 2 problems: deployment 'x' not found; replicas must be between 0 and 10000, got -1");
    }

    @Test
    void deletesAnExistingDeploymentAndSaysHowManyPodsWillStop() {
        web(3);

        List<Event> events = h.command(new DeleteDeployment("web"));

        assertThat(events.get(0)).isEqualTo(new DeploymentDeleted("web", 1));
        assertThat(((CommandAccepted) events.get(1)).message()).isEqualTo("deployment web deleted: 3 pods will be stopped");
        assertThat(h.state.deployment("web")).isEmpty();
    }

    @Test
    void deletingAMissingDeploymentIsRejected() {
        CommandRejected r = h.rejected(new DeleteDeployment("x"));
        assertThat(r.reason()).isEqualTo("deployment 'x' not found");
        assertThat(r.problems()).containsExactly("deployment 'x' not found");
        assertThat(r.commandType()).isEqualTo("DeleteDeployment");
    }

    @Test
    void deletingTwiceRejectsTheSecond() {
        web(1);
        assertThat(h.accepted(new DeleteDeployment("web")).message()).isEqualTo("deployment web deleted: 1 pod will be stopped");
        assertThat(h.rejected(new DeleteDeployment("web")).reason()).isEqualTo("deployment 'web' not found");
    }

    @Test
    void aDeletedDeploymentCanBeCreatedAgain() {
        web(2);
        h.command(new DeleteDeployment("web"));

        assertThat(h.accepted(new ApplyDeployment(Samples.deployment("web", 2))).message()).isEqualTo("deployment web created: 2 replicas");
        assertThat(h.state.deployment("web").orElseThrow().generation()).isEqualTo(1);
    }
}
