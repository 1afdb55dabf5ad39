package dev.berth.controller.core;

import dev.berth.bus.Decision;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Outbound;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.ScaleDeployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandProcessorsTest {

    private final Harness h = Harness.withImages("busybox");

    @Test
    void answersEveryCommandOnCommandResultsKeyedByItsId() {
        Envelope cmd = Envelope.command(new ApplyDeployment(Samples.deployment("web", 2)), "test", Harness.T0);

        Decision<ControllerState> step = CommandProcessors.process(h.state, cmd, Harness.T0);

        assertThat(step.outputs()).extracting(Outbound::topic).containsExactly(Topic.DEPLOYMENTS, Topic.COMMAND_RESULTS);
        assertThat(step.outputs().get(0).key()).isEqualTo("web");
        assertThat(step.outputs().get(1).key()).isEqualTo(cmd.id());
        assertThat(((CommandAccepted) step.outputs().get(1).payload()).commandId()).isEqualTo(cmd.id());
    }

    @Test
    void aRedeliveredCommandGetsTheSameAnswerAndChangesNothingTwice() {
        Envelope apply = Envelope.command(new ApplyDeployment(Samples.deployment("web", 3)), "test", Harness.T0);
        List<Event> first = h.command(apply);
        h.reconcile();
        Envelope scale = Envelope.command(new ScaleDeployment("web", 5), "test", Harness.T0);
        List<Event> firstScale = h.command(scale);
        ControllerState before = h.state;

        List<Event> again = h.command(apply);
        List<Event> scaleAgain = h.command(scale);

        assertThat(again).containsExactly(first.get(first.size() - 1));
        assertThat(scaleAgain).containsExactly(firstScale.get(firstScale.size() - 1));
        assertThat(h.state).isEqualTo(before);
        assertThat(h.state.deployment("web").orElseThrow().generation()).isEqualTo(2);
    }

    @Test
    void aRedeliveredCommandIsRecognisedAfterARebuild() {
        Envelope scale = Envelope.command(new ScaleDeployment("web", 1), "test", Harness.T0);
        h.command(new ApplyDeployment(Samples.deployment("web", 3)));
        List<Event> first = h.command(scale);

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);
        Decision<ControllerState> again = CommandProcessors.process(rebuilt, scale, h.now);

        assertThat(again.state()).isEqualTo(rebuilt);
        assertThat(again.outputs()).extracting(Outbound::payload).containsExactly(first.get(first.size() - 1));
    }

    @Test
    void aRejectedCommandChangedNothingSoItIsJudgedAgainOnRedelivery() {
        Envelope scale = Envelope.command(new ScaleDeployment("web", 2), "test", Harness.T0);
        assertThat(h.command(scale)).singleElement().isInstanceOf(CommandRejected.class);
        h.command(new ApplyDeployment(Samples.deployment("web", 3)));

        assertThat(h.command(scale)).last().isInstanceOfSatisfying(CommandAccepted.class,
                a -> assertThat(a.message()).isEqualTo("deployment web scaled from 3 to 2"));
    }

    @Test
    void anEventSentAsACommandIsRejected() {
        Envelope notACommand = Envelope.command(new PodCreated("web-abcde", "web", 1, Samples.template()), "test", Harness.T0);

        List<Event> events = h.command(notACommand);

        assertThat(events).singleElement().isInstanceOfSatisfying(CommandRejected.class, r -> {
            assertThat(r.commandId()).isEqualTo(notACommand.id());
            assertThat(r.commandType()).isEqualTo("PodCreated");
            assertThat(r.reason()).isEqualTo(
                    "PodCreated is not a command: berth.commands takes ApplyDeployment, ScaleDeployment, DeleteDeployment,"
                            + " ApplyNamespace, DeleteNamespace, ApplyService, DeleteService, ApplyHorizontalPodAutoscaler, DeleteHorizontalPodAutoscaler,"
                            + " ApplyJob, DeleteJob,"
                            + " CordonNode, UncordonNode, DrainNode, ApplyConfigMap, DeleteConfigMap, ApplySecret or DeleteSecret");
        });
        assertThat(h.state.pods()).isEmpty();
    }
}
