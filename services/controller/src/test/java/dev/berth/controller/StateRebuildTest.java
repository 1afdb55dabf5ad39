package dev.berth.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
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
        log.add(new RawRecord(topic, partition, offset, clock, "k", Json.encode(env)));
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

        StateRebuild.Folded folded = StateRebuild.fold(readOrder);

        assertThat(folded.state().pods()).isEmpty();
        assertThat(folded.state().deployment("web").orElseThrow().replicas()).isZero();
        assertThat(folded.state().nextSerial("web")).isEqualTo(1);
        assertThat(folded.deploymentCauses().get("web").id()).isEqualTo(scaled.id());
        assertThat(folded.unreadable()).isZero();
    }

    @Test
    void skipsUnreadableRecordsAndGoesOn() {
        write("berth.deployments", 0, new DeploymentApplied(Samples.deployment("web", 2), 1));
        log.add(new RawRecord("berth.pods", 0, 0, clock + 1, "x", "not json"));

        StateRebuild.Folded folded = StateRebuild.fold(log);

        assertThat(folded.unreadable()).isEqualTo(1);
        assertThat(folded.state().deployments()).containsKey("web");
    }
}
