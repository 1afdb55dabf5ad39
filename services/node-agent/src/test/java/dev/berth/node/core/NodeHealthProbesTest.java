package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.PodUnhealthy;
import dev.berth.bus.contract.Probe;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Liveness and startup probes as the node's loop runs them: a failed liveness probe kills the container and its
 * restart policy restarts it, with the probe named in its last state; a startup probe holds the others back, and
 * kills when it never succeeds; failures are counted into rate-limited PodUnhealthy events.
 */
class NodeHealthProbesTest {
    static final Probe LIVENESS = new Probe(new Probe.HttpGet("/healthz", 0, "http", null, null), null, null, 0, 10, 1, 1, 3);
    static final Probe READINESS = new Probe(null, new Probe.TcpSocket(0, "http", null), null, 0, 5, 1, 1, 3);
    static final Probe STARTUP = new Probe(null, null, new Probe.Exec(List.of("cat", "/tmp/started")), 0, 2, 1, 1, 5);

    static PodPlaced placed(Probe readiness, Probe liveness, Probe startup, String restartPolicy) {
        PodTemplate t = Samples.template();
        PodTemplate probed = new PodTemplate(t.image(), t.command(), t.args(), t.env(), t.resources(), restartPolicy, 1,
                null, null, null, null, List.of(new ContainerPort(8080, "http", ContainerPort.TCP, 0)), readiness, null, null)
                .withHealthProbes(liveness, startup);
        return new PodPlaced("web", NODE, "web", probed, 1, Map.of(), List.of());
    }

    static Decision<NodeState> react(NodeState s, Object input, Instant now) { return NodeAgentCore.react(s, input, now); }

    static NodeState started(PodPlaced p) {
        NodeState s = NodeAgentCore.fold(NodeState.empty(NODE, Fixtures.BACKOFF), Envelope.spontaneous(p, "test", T0));
        s = NodeAgentCore.reconcile(s, T0).state();
        return react(s, new NodeAgentCore.Started("web", 42, null, "10.244.1.5"), T0).state();
    }

    static <T> List<T> effects(Decision<NodeState> d, Class<T> type) {
        return d.effects().stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T> List<T> outputs(Decision<NodeState> d, Class<T> type) {
        return d.outputs().stream().map(o -> o.payload()).filter(type::isInstance).map(type::cast).toList();
    }

    /** The timer fires at {@code now}; every probe it asks for reports {@code success} (this kind) or passes (others). */
    static Decision<NodeState> probe(NodeState s, Instant now, String kind, boolean success, String message) {
        Decision<NodeState> due = react(s, new NodeAgentCore.ProbeDue(), now);
        NodeState next = due.state();
        Decision<NodeState> last = due;
        for (Probes.RunProbe run : effects(due, Probes.RunProbe.class)) {
            boolean ok = !run.kind().equals(kind) || success;
            last = react(next, new NodeAgentCore.ProbeResult(run.pod(), run.restarts(), ok, ok ? null : message, run.kind()), now);
            next = last.state();
        }
        return last;
    }

    static List<String> kindsDue(NodeState s, Instant now) {
        return effects(react(s, new NodeAgentCore.ProbeDue(), now), Probes.RunProbe.class).stream().map(Probes.RunProbe::kind).toList();
    }

    @Test
    void livenessStartsPassingAndIsProbedBesideReadiness() {
        NodeState s = started(placed(READINESS, LIVENESS, null, "Always"));
        assertThat(s.health().liveness().ready("web")).as("the kubelet's initial Success").isTrue();
        assertThat(kindsDue(s, T0)).containsExactlyInAnyOrder(PodUnhealthy.LIVENESS, PodUnhealthy.READINESS);
    }

    @Test
    void threeLivenessFailuresKillTheContainerOnceAndItsExitNamesTheProbe() {
        NodeState s = started(placed(null, LIVENESS, null, "Always"));
        Decision<NodeState> d = probe(s, at(0), PodUnhealthy.LIVENESS, false, "HTTP probe failed with statuscode: 500");
        assertThat(effects(d, NodeAction.KillContainer.class)).isEmpty();
        d = probe(d.state(), at(10), PodUnhealthy.LIVENESS, false, "HTTP probe failed with statuscode: 500");
        assertThat(effects(d, NodeAction.KillContainer.class)).isEmpty();
        d = probe(d.state(), at(20), PodUnhealthy.LIVENESS, false, "HTTP probe failed with statuscode: 500");
        assertThat(effects(d, NodeAction.KillContainer.class)).containsExactly(new NodeAction.KillContainer("web", 1, 0));
        assertThat(d.state().health().killedFor("web", 0)).isEqualTo("Liveness probe failed: HTTP probe failed with statuscode: 500");

        // Probing goes on while the container is being killed, but it is killed only once.
        Decision<NodeState> again = probe(d.state(), at(30), PodUnhealthy.LIVENESS, false, "HTTP probe failed with statuscode: 500");
        assertThat(effects(again, NodeAction.KillContainer.class)).isEmpty();

        Decision<NodeState> exit = react(again.state(), new NodeAgentCore.Exited(new ContainerExit("web", 0, 137, false)), at(31));
        PodStatusChanged exited = outputs(exit, PodStatusChanged.class).stream().filter(st -> st.state() == ContainerState.Exited)
                .findFirst().orElseThrow();
        assertThat(exited.reason()).as("the exit's own reason, as the kubelet's").isEqualTo("Error");
        assertThat(exited.message()).isEqualTo("Liveness probe failed: HTTP probe failed with statuscode: 500; the container was killed (exited with code 137)");
        PodStatusChanged waiting = outputs(exit, PodStatusChanged.class).stream().filter(st -> st.state() == ContainerState.Waiting)
                .findFirst().orElseThrow();
        assertThat(waiting.reason()).isEqualTo(Restarts.CRASH_LOOP_BACK_OFF);
        assertThat(waiting.message()).contains("restarting container that failed its liveness probe");
        assertThat(exit.state().health().liveness().pods()).as("the run is over: its probing too").isEmpty();
    }

    @Test
    void theRestartedRunIsProbedFromScratchAndTheKillNoteGoes() {
        NodeState s = started(placed(null, LIVENESS, null, "Always"));
        for (int i = 0; i < 3; i++) s = probe(s, at(10 * i), PodUnhealthy.LIVENESS, false, "connection refused").state();
        s = react(s, new NodeAgentCore.Exited(new ContainerExit("web", 0, 137, false)), at(25)).state();
        Instant due = s.actual().get("web").restartAt();
        s = NodeAgentCore.react(s, new NodeAgentCore.WakeUp(), due).state();
        s = react(s, new NodeAgentCore.Started("web", 43, null, "10.244.1.5"), due).state();
        assertThat(s.actual().get("web").restarts()).isEqualTo(1);
        assertThat(s.health().kills()).isEmpty();
        assertThat(s.health().liveness().of("web").restarts()).isEqualTo(1);
        assertThat(s.health().liveness().of("web").failures()).isZero();
        assertThat(s.health().unhealthy()).isEmpty();
    }

    @Test
    void restartPolicyNeverLeavesAKilledContainerExited() {
        NodeState s = started(placed(null, LIVENESS, null, "Never"));
        for (int i = 0; i < 3; i++) s = probe(s, at(10 * i), PodUnhealthy.LIVENESS, false, "timeout").state();
        Decision<NodeState> exit = react(s, new NodeAgentCore.Exited(new ContainerExit("web", 0, 143, false)), at(25));
        assertThat(outputs(exit, PodStatusChanged.class)).extracting(PodStatusChanged::state).containsExactly(ContainerState.Exited);
        assertThat(exit.state().actual().get("web").state()).isEqualTo(ContainerState.Exited);
    }

    @Test
    void aStartupProbeHoldsLivenessAndReadinessBackUntilItSucceeds() {
        NodeState s = started(placed(READINESS, LIVENESS, STARTUP, "Always"));
        assertThat(kindsDue(s, T0)).containsExactly(PodUnhealthy.STARTUP);
        Decision<NodeState> failing = probe(s, at(0), PodUnhealthy.STARTUP, false, "exit status 1");
        assertThat(kindsDue(failing.state(), at(2))).containsExactly(PodUnhealthy.STARTUP);
        Decision<NodeState> up = probe(failing.state(), at(2), PodUnhealthy.STARTUP, true, null);
        assertThat(up.state().health().startup().of("web").done()).isTrue();
        assertThat(kindsDue(up.state(), at(2))).as("the startup probe is done; the others begin now")
                .containsExactlyInAnyOrder(PodUnhealthy.LIVENESS, PodUnhealthy.READINESS);
        assertThat(kindsDue(up.state(), at(100))).doesNotContain(PodUnhealthy.STARTUP);
    }

    @Test
    void aPodWithAStartupProbeIsNotReadyBeforeItSucceeds() {
        NodeState s = started(placed(READINESS, null, STARTUP, "Always"));
        PodStatusChanged running = s.reported().get("web");
        assertThat(running.ready()).isFalse();
        s = probe(s, at(0), PodUnhealthy.STARTUP, true, null).state();
        Decision<NodeState> ready = probe(s, at(0), PodUnhealthy.READINESS, true, null);
        assertThat(outputs(ready, PodStatusChanged.class)).extracting(PodStatusChanged::ready).containsExactly(true);
    }

    @Test
    void aStartupProbeThatNeverSucceedsKillsAfterItsFailureThreshold() {
        NodeState s = started(placed(null, LIVENESS, STARTUP, "Always"));
        Decision<NodeState> d = null;
        for (int i = 0; i < 5; i++) {
            d = probe(s, at(2 * i), PodUnhealthy.STARTUP, false, "exit status 1");
            s = d.state();
            assertThat(effects(d, NodeAction.KillContainer.class)).hasSize(i == 4 ? 1 : 0);
        }
        assertThat(s.health().killedFor("web", 0)).isEqualTo("Startup probe failed: exit status 1");
    }

    @Test
    void failuresAreReportedAtOnceThenAtMostEveryTenSecondsWithTheirCount() {
        Probe lenient = new Probe(null, new Probe.TcpSocket(8080, null, null), null, 0, 1, 1, 1, 100);
        NodeState s = started(placed(null, lenient, null, "Always"));
        List<PodUnhealthy> reported = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Decision<NodeState> d = probe(s, at(i), PodUnhealthy.LIVENESS, false, "connection refused");
            s = d.state();
            reported.addAll(outputs(d, PodUnhealthy.class));
            d.outputs().forEach(o -> {
                if (o.payload() instanceof PodUnhealthy) assertThat(o.topic()).isEqualTo(Topic.POD_STATUS);
            });
        }
        assertThat(reported).extracting(PodUnhealthy::count).containsExactly(1, 11, 21);
        assertThat(reported).allSatisfy(u -> {
            assertThat(u.probe()).isEqualTo(PodUnhealthy.LIVENESS);
            assertThat(u.message()).isEqualTo("Liveness probe failed: connection refused");
            assertThat(u.firstSeen()).isEqualTo(T0);
            assertThat(u.node()).isEqualTo(NODE);
        });
        Decision<NodeState> healthy = probe(s, at(25), PodUnhealthy.LIVENESS, true, null);
        assertThat(healthy.state().health().unhealthy()).as("a success clears the count").isEmpty();
        assertThat(outputs(probe(healthy.state(), at(26), PodUnhealthy.LIVENESS, false, "connection refused"), PodUnhealthy.class))
                .extracting(PodUnhealthy::count).containsExactly(1);
    }

    @Test
    void readinessFailuresAreUnhealthyEventsTooButNeverKill() {
        NodeState s = started(placed(READINESS, null, null, "Always"));
        Decision<NodeState> d = null;
        for (int i = 0; i < 6; i++) {
            d = probe(s, at(5 * i), PodUnhealthy.READINESS, false, "dial tcp 10.244.1.5:8080: connect: connection refused");
            s = d.state();
            assertThat(effects(d, NodeAction.KillContainer.class)).isEmpty();
        }
        assertThat(s.health().unhealthy()).containsKey("web/Readiness");
    }

    @Test
    void aStaleResultOfAnEarlierRunChangesNothing() {
        NodeState s = started(placed(null, LIVENESS, null, "Always"));
        Decision<NodeState> stale = react(s, new NodeAgentCore.ProbeResult("web", 7, false, "late", PodUnhealthy.LIVENESS), at(1));
        assertThat(stale.state()).isSameAs(s);
        assertThat(stale.outputs()).isEmpty();
    }
}
