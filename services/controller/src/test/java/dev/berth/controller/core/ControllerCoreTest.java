package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.Cause;
import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Limits;
import dev.berth.bus.Outbound;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Samples;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.ServiceLoop.BatchEnd;
import dev.berth.bus.ServiceLoop.Received;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.ScaleDeployment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * {@link ControllerCore} as the service loop drives it, pure: node liveness on the controller's own
 * clock (a node's clock takes no part), sequence numbers, causation carried by the core's state.
 */
class ControllerCoreTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final NodeTimeouts TIMEOUTS = new NodeTimeouts(GRACE, Duration.ofSeconds(2), T0.minusSeconds(3600));
    private static final NodeResources RES = new NodeResources(4000, 8192 * Samples.MI, 110);
    private static final Instant AGENT_START = T0.minusSeconds(60);

    private final ControllerCore core = new ControllerCore(TIMEOUTS);
    private ControllerState state = ControllerState.empty();
    private long offset;

    private static Instant at(double seconds) { return T0.plusMillis((long) (seconds * 1000)); }

    /** A heartbeat the node stamped with its own (skewed) clock, received by the controller at {@code receivedAt}. */
    private void heartbeat(String node, long sequence, Duration skew, Instant receivedAt) {
        NodeHeartbeat hb = new NodeHeartbeat(node, RES, RES, List.of("busybox"), List.of(), sequence, AGENT_START);
        Envelope env = Envelope.spontaneous(hb, "node-agent/" + node, receivedAt.plus(skew));
        Received in = received(Topic.NODE_HEARTBEATS, node, env, receivedAt);
        state = core.onRecord(state, in).state();
        state = core.afterBatch(state, new BatchEnd(ControllerCore.HEARTBEATS, List.of(in.record()), List.of(in), List.of(), receivedAt)).state();
    }

    private Received received(Topic topic, String key, Envelope env, Instant now) {
        RawRecord r = new RawRecord(topic.topicName(), 0, offset++, now.toEpochMilli(), key, Json.encode(env));
        return new Received(r, env, now);
    }

    /** Node checks every 250 ms; the node's conditions as published, in order. */
    private List<NodeCondition> check(double seconds) {
        Decision<ControllerState> d = core.onInput(state, new ControllerCore.NodeCheck(at(seconds)), at(seconds));
        state = d.state();
        return d.outputs().stream().map(Outbound::payload).filter(NodeStatusChanged.class::isInstance)
                .map(p -> ((NodeStatusChanged) p).condition()).toList();
    }

    static Stream<Duration> skews() {
        List<Duration> skews = new ArrayList<>();
        for (int minutes = -12 * 60; minutes <= 12 * 60; minutes += 15) skews.add(Duration.ofMinutes(minutes));
        skews.add(Duration.ofDays(-3650));
        skews.add(Duration.ofDays(3650));
        skews.add(Duration.ofMillis(1500));
        return skews.stream();
    }

    /** Heartbeats every second for a minute: the node is Ready once and never flaps, whatever its clock says. */
    @ParameterizedTest
    @MethodSource("skews")
    void aSkewedNodeThatHeartbeatsNeverFlaps(Duration skew) {
        List<NodeCondition> published = new ArrayList<>();
        long sequence = 0;
        for (int quarter = 0; quarter < 240; quarter++) {
            if (quarter % 4 == 0) heartbeat("node-1", ++sequence, skew, at(quarter / 4.0));
            published.addAll(check(quarter / 4.0 + 0.1));
        }
        assertThat(published).containsExactly(NodeCondition.Ready);
    }

    /** A node that falls silent goes NotReady one grace period after it was last heard, whatever its clock says. */
    @ParameterizedTest
    @MethodSource("skews")
    void aSkewedNodeThatFallsSilentDoesNotLiveForever(Duration skew) {
        for (int s = 0; s <= 5; s++) heartbeat("node-1", s + 1, skew, at(s));
        assertThat(check(5.1)).containsExactly(NodeCondition.Ready);
        assertThat(check(7.9)).isEmpty();
        assertThat(check(8.0)).containsExactly(NodeCondition.NotReady);
        assertThat(state.nodes().get("node-1").lastHeartbeat()).isEqualTo(at(5));
    }

    /** A heartbeat replayed or duplicated (same agent, sequence not newer) is no news: it does not revive a silent node. */
    @Test
    void aReplayedHeartbeatDoesNotReviveANode() {
        for (int s = 0; s <= 2; s++) heartbeat("node-1", s + 1, Duration.ZERO, at(s));
        check(2.1);
        assertThat(check(5.0)).containsExactly(NodeCondition.NotReady);
        heartbeat("node-1", 3, Duration.ZERO, at(6)); // the last one again, delivered late
        heartbeat("node-1", 2, Duration.ZERO, at(6.5));
        assertThat(check(6.6)).isEmpty();
        assertThat(state.nodes().get("node-1").condition()).isEqualTo(NodeCondition.NotReady);
        heartbeat("node-1", 4, Duration.ZERO, at(7));
        assertThat(check(7.1)).containsExactly(NodeCondition.Ready);
    }

    /** A restarted agent counts from 1 again: its first heartbeat is news. */
    @Test
    void aRestartedAgentIsHeardAgain() {
        heartbeat("node-1", 500, Duration.ZERO, at(0));
        check(0.1);
        NodeHeartbeat fresh = new NodeHeartbeat("node-1", RES, RES, List.of(), List.of(), 1, at(1));
        Received in = received(Topic.NODE_HEARTBEATS, "node-1", Envelope.spontaneous(fresh, "n", at(1)), at(2));
        state = core.onRecord(state, in).state();
        assertThat(state.nodes().get("node-1").lastHeartbeat()).isEqualTo(at(2));
        assertThat(state.nodes().get("node-1").sequence()).isEqualTo(1);
    }

    /** The heartbeats never move a node's silence, only the time they were received: a check with unread heartbeats waits. */
    @Test
    void silenceIsMeasuredOnlyUpToWhatWasRead() {
        heartbeat("node-1", 1, Duration.ZERO, at(0));
        check(0.1);
        Decision<ControllerState> d = core.onInput(state, new ControllerCore.NodeCheck(at(1)), at(30));
        assertThat(d.outputs()).isEmpty();
    }

    /** A reader that could not read (broker away) gives every node a fresh grace period once it reads again. */
    @Test
    void afterTheHeartbeatReaderWasBlindEveryNodeGetsAFreshGracePeriod() {
        heartbeat("node-1", 1, Duration.ZERO, at(0));
        check(0.1);
        // Read up to 30 s only now: the broker was away from 0.1 s to 30 s; node-1's held-up heartbeats follow.
        Decision<ControllerState> blind = core.onInput(state, new ControllerCore.NodeCheck(at(30), at(30)), at(30));
        assertThat(blind.outputs()).as("not NotReady while its producer reconnects").isEmpty();
        Decision<ControllerState> later = core.onInput(state, new ControllerCore.NodeCheck(at(33), at(30)), at(33));
        assertThat(later.outputs()).extracting(o -> ((NodeStatusChanged) o.payload()).condition())
                .as("still silent a grace period after reading resumed").containsExactly(NodeCondition.NotReady);
        Decision<ControllerState> notBlind = core.onInput(state, new ControllerCore.NodeCheck(at(30)), at(30));
        assertThat(notBlind.outputs()).as("the same check without the blind spell").isNotEmpty();
    }

    // ---- causation ----

    /** Pod events answer the deployment event that led to them, which answers the command: no shell keeps causes. */
    @Test
    void podEventsAnswerTheDeploymentEventThatLedToThem() {
        heartbeat("node-1", 1, Duration.ZERO, T0); // a node that has the image
        Envelope apply = Envelope.command(new ApplyDeployment(Samples.deployment("web", 2)), "cli", T0);
        Received in = received(Topic.COMMANDS, "web", apply, T0);
        Decision<ControllerState> decided = core.onRecord(state, in);
        Outbound applied = decided.outputs().stream().filter(o -> o.payload() instanceof DeploymentApplied).findFirst().orElseThrow();
        assertThat(applied.cause()).isEqualTo(Cause.of(apply));
        assertThat(applied.id()).isNotNull();

        Decision<ControllerState> reconciled = core.afterBatch(decided.state(),
                new BatchEnd(ControllerCore.COMMANDS, List.of(in.record()), List.of(in), decided.outputs(), T0));
        List<Outbound> created = reconciled.outputs().stream().filter(o -> o.payload() instanceof PodCreated).toList();
        assertThat(created).hasSize(2).allSatisfy(o -> {
            assertThat(o.cause().correlationId()).isEqualTo(apply.id());
            assertThat(o.cause().causationId()).isEqualTo(applied.id());
        });

        // Rebuilt from the log the loop wrote, the state names the same cause: a resync's pods answer it too.
        List<Envelope> log = new ArrayList<>();
        for (Outbound o : decided.outputs()) log.add(o.envelope("controller", T0));
        ControllerState rebuilt = EventAppliers.fold(state, log);
        assertThat(rebuilt.causeOf("web")).isEqualTo(reconciled.state().causeOf("web"));
        Decision<ControllerState> resync = core.onInput(rebuilt, new ControllerCore.Resync(), T0);
        assertThat(resync.outputs()).filteredOn(o -> o.payload() instanceof PodCreated).hasSize(2).allSatisfy(o -> assertThat(o.cause().causationId()).isEqualTo(applied.id()));
    }

    /** A later scale is the cause of the pods it adds. */
    @Test
    void aScaleCausesThePodsItAdds() {
        heartbeat("node-1", 1, Duration.ZERO, T0);
        Envelope apply = Envelope.command(new ApplyDeployment(Samples.deployment("web", 1)), "cli", T0);
        state = core.onRecord(state, received(Topic.COMMANDS, "web", apply, T0)).state();
        Envelope scale = Envelope.command(new ScaleDeployment("web", 3), "cli", at(1));
        Decision<ControllerState> scaled = core.onRecord(state, received(Topic.COMMANDS, "web", scale, at(1)));
        Decision<ControllerState> reconciled = core.onInput(scaled.state(), new ControllerCore.Resync(), at(1));
        assertThat(reconciled.outputs()).filteredOn(o -> o.payload() instanceof PodCreated).hasSize(3)
                .allSatisfy(o -> assertThat(o.cause().correlationId()).isEqualTo(scale.id()));
    }

    // ---- unreadable commands ----

    @Test
    void anOversizedCommandGetsAShortRejectionNamedByItsId() {
        String value = "{\"id\":\"big-1\",\"type\":\"ApplyDeployment\",\"data\":{\"x\":\"" + "y".repeat(400_000) + "\"}}";
        RawRecord r = new RawRecord(Topic.COMMANDS.topicName(), 0, 7, 0, "web", value);
        List<Outbound> answer = core.answerUnreadable(r, new BadRecordException("record too large: " + value.length() + " bytes"));
        CommandRejected rejected = (CommandRejected) answer.get(0).payload();
        assertThat(rejected.commandId()).isEqualTo("big-1");
        assertThat(Json.encode(answer.get(0).envelope("controller", T0)).length()).isLessThan(4096);
        assertThat(answer.get(0).cause()).isEqualTo(Cause.answering("big-1"));
    }

    @Test
    void schemaProblemsEchoingAHugeValueAreBounded() {
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < 500; i++) problems.add("/data/x: " + "z".repeat(10_000));
        RawRecord r = new RawRecord(Topic.COMMANDS.topicName(), 0, 7, 0, "k".repeat(100_000), "{}");
        CommandRejected rejected = BadCommands.rejection(r, new BadRecordException("bad " + "q".repeat(100_000), problems, "X"));
        assertThat(Json.write(rejected).length()).isLessThan(16 * 1024);
        assertThat(rejected.problems()).hasSize(Limits.PROBLEMS_MAX_ITEMS);
    }

    @Test
    void otherTopicsGetNoAnswer() {
        RawRecord r = new RawRecord(Topic.POD_STATUS.topicName(), 0, 7, 0, "p", "junk");
        assertThat(core.answerUnreadable(r, new BadRecordException("not valid JSON"))).isEmpty();
        assertThat(ServiceLoop.Core.class).isInterface();
    }
}
