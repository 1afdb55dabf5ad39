package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which status changes answer a placement record. */
class StatusCausesTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static final PodTemplate TEMPLATE = new PodTemplate("busybox", List.of("sleep"), List.of("1"), Map.of(), new Resources(100, 1 << 20), "Always", 1);

    final StatusCauses causes = new StatusCauses();
    final Envelope command = Envelope.command(new DeleteDeployment("web"), "cli", NOW);
    final Envelope placed = Envelope.causedBy(command, new PodPlaced("web-1", "n1", "test", TEMPLATE, 1, Map.of(), List.of()), "scheduler", NOW);
    final Envelope released = Envelope.causedBy(command, new PodReleased("web-1", "n1", "deleted"), "scheduler", NOW);

    static PodStatusChanged status(ContainerState state, int restarts) {
        return new PodStatusChanged("web-1", "n1", state, null, "r", "m", restarts);
    }

    @Test
    void thePlacementCausesTheFirstStartUntilItRuns() {
        causes.read(placed);
        assertThat(causes.causeOf(status(ContainerState.Starting, 0))).isSameAs(placed);
        assertThat(causes.causeOf(status(ContainerState.Running, 0))).isSameAs(placed);
        assertThat(causes.causeOf(status(ContainerState.Exited, 0))).isNull();
        assertThat(causes.causeOf(status(ContainerState.Starting, 1))).isNull();
        assertThat(causes.causeOf(status(ContainerState.Running, 1))).isNull();
    }

    @Test
    void aFailedFirstStartEndsThePlacementsAnswer() {
        causes.read(placed);
        assertThat(causes.causeOf(status(ContainerState.Failed, 0))).isSameAs(placed);
        assertThat(causes.causeOf(status(ContainerState.Waiting, 0))).isNull();
        assertThat(causes.causeOf(status(ContainerState.Starting, 0))).isNull();
    }

    @Test
    void theReleaseCausesTheStop() {
        causes.read(placed);
        causes.causeOf(status(ContainerState.Running, 0));
        causes.read(released);
        assertThat(causes.causeOf(status(ContainerState.Terminating, 3))).isSameAs(released);
        assertThat(causes.causeOf(status(ContainerState.Stopped, 3))).isSameAs(released);
        assertThat(causes.causeOf(status(ContainerState.Stopped, 3))).isNull();
    }

    @Test
    void adoptedAndForgottenPodsAreSpontaneous() {
        causes.read(placed);
        causes.forget("web-1");
        assertThat(causes.causeOf(status(ContainerState.Running, 0))).isNull();
        causes.read(placed);
        causes.retainOnly(Set.of("web-2"));
        assertThat(causes.causeOf(status(ContainerState.Starting, 0))).isNull();
    }
}
