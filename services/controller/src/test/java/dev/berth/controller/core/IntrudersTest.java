package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Samples;
import dev.berth.bus.ServiceLoop.BatchEnd;
import dev.berth.bus.ServiceLoop.Received;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodIntruderFound;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pod on a node that the controller never created is answered (issue 14, defence in depth): a forged
 * placement, a container a node runs without one, another node's copy of a real pod. Pods the controller
 * let go of, stopped containers and pods already flagged are not.
 */
class IntrudersTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final NodeResources RES = new NodeResources(4000, 8192 * Samples.MI, 110);

    private final ControllerCore core = new ControllerCore(new NodeTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), T0.minusSeconds(3600)));
    private ControllerState state = ControllerState.empty();
    private final List<Envelope> log = new ArrayList<>();
    private long offset;
    private Instant now = T0;

    private Received received(Topic topic, String key, Envelope env) {
        now = now.plusMillis(10);
        RawRecord r = new RawRecord(topic.topicName(), 0, offset++, now.toEpochMilli(), key, Json.encode(env));
        return new Received(r, env, now);
    }

    /** One record through the core as the loop runs it (record, then its batch end); returns what it published. */
    private List<Outbound> read(Topic topic, String key, Envelope env, String source) {
        Received in = received(topic, key, env);
        log.add(env);
        Decision<ControllerState> d = core.onRecord(state, in);
        Decision<ControllerState> after = core.afterBatch(d.state(), new BatchEnd(source, List.of(in.record()), List.of(in), d.outputs(), now));
        state = after.state();
        List<Outbound> all = new ArrayList<>(d.outputs());
        all.addAll(after.outputs());
        for (Outbound o : all) if (o.payload() != null) log.add(o.envelope("controller", now));
        return all;
    }

    private List<Outbound> command(Object command, String key) {
        return read(Topic.COMMANDS, key, Envelope.command((dev.berth.bus.contract.Command) command, "cli", now), ControllerCore.COMMANDS);
    }

    private List<Outbound> report(Event e) {
        Topic t = e instanceof PodPlaced ? Topic.PLACEMENTS : Topic.POD_STATUS;
        return read(t, e instanceof PodPlaced p ? p.node() : ((PodStatusChanged) e).pod(), Envelope.spontaneous(e, "someone", now),
                ControllerCore.POD_REPORTS);
    }

    private void heartbeat(String node) {
        read(Topic.NODE_HEARTBEATS, node, Envelope.spontaneous(new NodeHeartbeat(node, RES, RES, List.of("busybox"), List.of(), offset + 1, T0), "n", now),
                ControllerCore.HEARTBEATS);
    }

    private static List<PodIntruderFound> intruders(List<Outbound> outs) {
        return outs.stream().map(Outbound::payload).filter(PodIntruderFound.class::isInstance).map(PodIntruderFound.class::cast).toList();
    }

    private static PodStatusChanged status(String pod, String node, ContainerState s) {
        return new PodStatusChanged(pod, node, s, null, null, null, 0);
    }

    private String createdPod() {
        heartbeat("node-1");
        List<Outbound> outs = command(new ApplyDeployment(Samples.deployment("web", 1)), "web");
        return outs.stream().map(Outbound::payload).filter(PodCreated.class::isInstance).map(p -> ((PodCreated) p).pod()).findFirst().orElseThrow();
    }

    private static PodTemplate hostile() { return Samples.deployment("miner", 1).template(); }

    @Test
    void aForgedPlacementIsAnIntruderOnItsNode() {
        heartbeat("node-1");
        List<Outbound> outs = report(new PodPlaced("miner", "node-1", "miner", hostile(), 1, null, null));
        assertThat(intruders(outs)).singleElement().satisfies(f -> {
            assertThat(f.node()).isEqualTo("node-1");
            assertThat(f.pod()).isEqualTo("miner");
            assertThat(f.seen()).isEqualTo(PodIntruderFound.BY_PLACEMENT);
            assertThat(f.reason()).isEqualTo("pod miner was placed on node node-1, but the controller never created it");
        });
        Outbound out = outs.stream().filter(o -> o.payload() instanceof PodIntruderFound).findFirst().orElseThrow();
        assertThat(out.topic()).isEqualTo(Topic.NODES);
        assertThat(out.key()).as("keyed by the node, which reads its own key of berth.nodes").isEqualTo("node-1");
        assertThat(state.pods()).as("an intruder is never one of the controller's pods").doesNotContainKey("miner");
    }

    @Test
    void aPodReportedWithoutAnyPlacementIsAnIntruderOnceUntilItStops() {
        heartbeat("node-2");
        assertThat(intruders(report(status("miner", "node-2", ContainerState.Running)))).singleElement()
                .satisfies(f -> {
                    assertThat(f.seen()).isEqualTo(PodIntruderFound.BY_STATUS);
                    assertThat(f.state()).isEqualTo(ContainerState.Running);
                    assertThat(f.reason()).isEqualTo("pod miner is reported Running by node node-2, but the controller never created it");
                });
        assertThat(intruders(report(status("miner", "node-2", ContainerState.Running)))).as("flagged once, not per report").isEmpty();
        assertThat(intruders(report(status("miner", "node-2", ContainerState.Terminating)))).isEmpty();
        assertThat(intruders(report(status("miner", "node-2", ContainerState.Stopped)))).as("a stopped container is no intrusion").isEmpty();
        assertThat(intruders(report(status("miner", "node-2", ContainerState.Starting)))).as("back again after it stopped: flagged again").hasSize(1);
    }

    @Test
    void anotherNodesCopyOfARealPodIsAnIntruderThereAndLeavesThePodAlone() {
        String pod = createdPod();
        heartbeat("node-2");
        PodRecord before = state.pods().get(pod);
        report(new PodPlaced(pod, "node-1", before.deployment(), before.template(), 1, null, null));
        report(status(pod, "node-1", ContainerState.Running));
        List<PodIntruderFound> found = intruders(report(status(pod, "node-2", ContainerState.Running)));
        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.node()).isEqualTo("node-2");
            assertThat(f.reason()).isEqualTo("pod " + pod + " is reported Running by node node-2, but the controller placed it on node node-1");
        });
        assertThat(state.pods().get(pod).node()).as("the copy's report does not move the real pod").isEqualTo("node-1");
        assertThat(state.pods().get(pod).state()).isEqualTo(ContainerState.Running);
    }

    @Test
    void theControllersOwnPodsAreNeverIntruders() {
        String pod = createdPod();
        PodRecord p = state.pods().get(pod);
        assertThat(intruders(report(status(pod, "node-1", ContainerState.Starting)))).as("a report before the placement was read").isEmpty();
        assertThat(intruders(report(new PodPlaced(pod, "node-1", p.deployment(), p.template(), 1, null, null)))).isEmpty();
        assertThat(intruders(report(status(pod, "node-1", ContainerState.Running)))).isEmpty();
    }

    @Test
    void aPodTheControllerLetGoOfIsNoIntruderWhileItsNodeCatchesUp() {
        String pod = createdPod();
        PodRecord p = state.pods().get(pod);
        report(new PodPlaced(pod, "node-1", p.deployment(), p.template(), 1, null, null));
        report(status(pod, "node-1", ContainerState.Running));
        command(new DeleteDeployment("web"), "web");
        report(status(pod, "node-1", ContainerState.Terminating));
        report(status(pod, "node-1", ContainerState.Stopped));
        assertThat(state.pods()).doesNotContainKey(pod);
        assertThat(intruders(report(status(pod, "node-1", ContainerState.Running)))).as("a late report of a deleted pod").isEmpty();
        assertThat(intruders(report(new PodPlaced(pod, "node-1", p.deployment(), p.template(), 1, null, null)))).isEmpty();
    }

    @Test
    void aRebuiltControllerRemembersWhatItFlaggedAndWhatItLetGo() {
        String pod = createdPod();
        PodRecord p = state.pods().get(pod);
        report(new PodPlaced(pod, "node-1", p.deployment(), p.template(), 1, null, null));
        report(status(pod, "node-1", ContainerState.Running));
        command(new DeleteDeployment("web"), "web");
        report(status(pod, "node-1", ContainerState.Stopped));
        report(status("miner", "node-1", ContainerState.Running));

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), log);
        assertThat(rebuilt.sightings().flagged("node-1", "miner")).isTrue();
        assertThat(rebuilt.sightings().wasForgotten(pod)).isTrue();
        assertThat(Intruders.check(rebuilt, status("miner", "node-1", ContainerState.Running))).isEmpty();
        assertThat(Intruders.check(rebuilt, status(pod, "node-1", ContainerState.Running))).isEmpty();
        assertThat(Intruders.check(rebuilt, status("other", "node-1", ContainerState.Running))).isPresent();
    }

    @Test
    void sightingsStayBounded() {
        PodSightings s = PodSightings.NONE;
        for (int i = 0; i < PodSightings.FORGOTTEN_MAX + 10; i++) s = s.forget("p-" + i);
        assertThat(s.forgottenCount()).isEqualTo(PodSightings.FORGOTTEN_MAX);
        assertThat(s.wasForgotten("p-0")).as("the oldest go first").isFalse();
        assertThat(s.wasForgotten("p-" + (PodSightings.FORGOTTEN_MAX + 9))).isTrue();
        for (int i = 0; i < PodSightings.FLAGGED_MAX + 10; i++) s = s.flag("node-1", "x-" + i);
        assertThat(s.flaggedCount()).isEqualTo(PodSightings.FLAGGED_MAX);
        assertThat(s.flagged("node-1", "x-0")).isFalse();
        assertThat(s.unflag("node-1", "x-20").flagged("node-1", "x-20")).isFalse();
    }
}
