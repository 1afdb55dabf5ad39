package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.*;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodHistoryTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    final List<Envelope> log = new ArrayList<>();

    Envelope command(int second, Command c) {
        Envelope e = Envelope.command(c, "cli/alice", T0.plusSeconds(second));
        log.add(e);
        return e;
    }

    Envelope caused(int second, Envelope cause, Payload p) {
        Envelope e = Envelope.causedBy(cause, p, "test", T0.plusSeconds(second));
        log.add(e);
        return e;
    }

    Envelope spontaneous(int second, Payload p) {
        Envelope e = Envelope.spontaneous(p, "test", T0.plusSeconds(second));
        log.add(e);
        return e;
    }

    @Test
    void chainRunsFromTheUserCommandToTheRunningContainer() {
        Envelope apply = command(0, new ApplyDeployment(Samples.deployment("web", 2)));
        Envelope applied = caused(0, apply, new DeploymentApplied(Samples.deployment("web", 2), 1));
        caused(0, apply, new CommandAccepted(apply.id(), "ApplyDeployment", "web", "deployment web created: 2 replicas"));
        Envelope created = caused(0, applied, new PodCreated("web-a", "web", 1, Samples.template()));
        caused(0, applied, new PodCreated("web-b", "web", 1, Samples.template()));
        Envelope placed = caused(1, created, new PodPlaced("web-a", "node-1", "web", Samples.template(), 2, Map.of(), List.of()));
        caused(2, placed, new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 0));
        command(3, new ScaleDeployment("other", 1));

        PodHistory.Chain chain = PodHistory.of("web-a", log);

        assertThat(chain.events()).extracting(Envelope::type).containsExactly(
                "ApplyDeployment", "DeploymentApplied", "CommandAccepted", "PodCreated", "PodPlaced", "PodStatusChanged");
        assertThat(chain.replacement()).isEmpty();
    }

    @Test
    void aLostPodNamesTheNodeFailureAndItsReplacement() {
        Envelope apply = command(0, new ApplyDeployment(Samples.deployment("web", 1)));
        Envelope applied = caused(0, apply, new DeploymentApplied(Samples.deployment("web", 1), 1));
        Envelope created = caused(0, applied, new PodCreated("web-a", "web", 1, Samples.template()));
        caused(1, created, new PodPlaced("web-a", "node-2", "web", Samples.template(), 2, Map.of(), List.of()));
        Envelope notReady = spontaneous(10, new NodeStatusChanged("node-2", NodeCondition.NotReady, false, "no heartbeat for 3 s", T0));
        Envelope lost = caused(12, notReady, new PodLost("web-a", "web", "node-2", "node node-2 not ready for 2 s"));
        caused(12, lost, new PodCreated("web-b", "web", 1, Samples.template()));

        PodHistory.Chain chain = PodHistory.of("web-a", log);

        assertThat(chain.events()).extracting(Envelope::type).contains("NodeStatusChanged", "PodLost");
        assertThat(chain.replacement()).contains("web-b");
        assertThat(chain.events().get(chain.events().size() - 1).data()).isInstanceOf(PodCreated.class);
    }

    @Test
    void unknownPodHasNoHistory() {
        command(0, new ScaleDeployment("web", 1));
        assertThat(PodHistory.of("nope", log).events()).isEmpty();
    }

    @Test
    void timesAreIsoOrRelative() {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        assertThat(Times.parse("-10m", now)).isEqualTo(Instant.parse("2026-11-27T11:50:00Z"));
        assertThat(Times.parse("90s", now)).isEqualTo(Instant.parse("2026-11-27T11:58:30Z"));
        assertThat(Times.parse("2026-11-27T10:00:00Z", now)).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    }
}
