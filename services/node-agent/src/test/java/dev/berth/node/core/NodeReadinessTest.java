package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Probe;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Readiness probes as the node's loop runs them: what is probed, where, and the statuses a ready change sends. */
class NodeReadinessTest {

    static final Probe HTTP_NAMED = new Probe(new Probe.HttpGet("/healthz", 0, "http", null, null), null, null, 5, 10, 1, 1, 3);

    static PodPlaced placed(String pod, Probe probe) {
        PodTemplate t = Samples.template();
        PodTemplate withProbe = new PodTemplate(t.image(), t.command(), t.args(), t.env(), t.resources(), "Always", 1,
                null, null, null, null, List.of(new ContainerPort(8080, "http", ContainerPort.TCP, 0)), probe, null, null);
        return new PodPlaced(pod, NODE, "web", withProbe, 1, Map.of(), List.of());
    }

    static Decision<NodeState> react(NodeState s, Object input, Instant now) {
        return NodeAgentCore.react(s, input, now);
    }

    /** Placed with {@code probe}, started at T0 with {@code ip}. */
    static Decision<NodeState> started(Probe probe, String ip) {
        NodeState s = NodeAgentCore.fold(NodeState.empty(NODE, Fixtures.BACKOFF), Envelope.spontaneous(placed("web", probe), "test", T0));
        s = NodeAgentCore.reconcile(s, T0).state();
        return react(s, new NodeAgentCore.Started("web", 42, null, ip), T0);
    }

    static List<PodStatusChanged> statuses(Decision<NodeState> d) {
        return d.outputs().stream().map(o -> o.payload()).filter(PodStatusChanged.class::isInstance).map(PodStatusChanged.class::cast).toList();
    }

    static <T> List<T> effects(Decision<NodeState> d, Class<T> type) {
        return d.effects().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The probe timer fires at {@code now}, then the probe it asked for reports {@code success}. */
    static Decision<NodeState> probe(NodeState s, Instant now, boolean success) {
        Decision<NodeState> due = react(s, new NodeAgentCore.ProbeDue(), now);
        assertThat(effects(due, Probes.RunProbe.class)).hasSize(1);
        return react(due.state(), new NodeAgentCore.ProbeResult("web", 0, success, success ? null : "boom"), now);
    }

    @Test
    void aProbedPodRunsNotReadyAndTheTimerIsSetForItsInitialDelay() {
        Decision<NodeState> d = started(HTTP_NAMED, "10.244.1.5");
        PodStatusChanged running = statuses(d).stream().filter(st -> st.state() == ContainerState.Running).findFirst().orElseThrow();
        assertThat(running.ready()).isFalse();
        assertThat(running.readyForTraffic()).isFalse();
        assertThat(effects(d, Probes.ProbeAt.class)).containsExactly(new Probes.ProbeAt(at(5)));
        assertThat(d.state().readiness().ready("web")).isFalse();
    }

    @Test
    void aPodWithoutAProbeReportsNoReadinessAndIsNeverProbed() {
        Decision<NodeState> d = started(null, "10.244.1.5");
        assertThat(statuses(d)).extracting(PodStatusChanged::ready).containsOnlyNulls();
        assertThat(last(d).readyForTraffic()).isTrue();
        assertThat(effects(d, Probes.ProbeAt.class)).isEmpty();
        assertThat(d.state().readiness().pods()).isEmpty();
    }

    @Test
    void theProbeGoesToThePodIPOnTheNamedPort() {
        NodeState s = started(HTTP_NAMED, "10.244.1.5").state();
        Decision<NodeState> early = react(s, new NodeAgentCore.ProbeDue(), at(4));
        assertThat(effects(early, Probes.RunProbe.class)).isEmpty();
        Decision<NodeState> due = react(s, new NodeAgentCore.ProbeDue(), at(5));
        assertThat(effects(due, Probes.RunProbe.class)).containsExactly(new Probes.RunProbe("web", 0, HTTP_NAMED, "10.244.1.5", 8080));
        assertThat(effects(due, Probes.ProbeAt.class)).as("in flight: no timer until its result").containsExactly(new Probes.ProbeAt(null));
    }

    @Test
    void withoutAPodIPTheProbeGoesToLoopbackAndAnUnknownPortNameIsZero() {
        Probe unknownPort = new Probe(null, new Probe.TcpSocket(0, "nope", null), null, 0, 10, 1, 1, 3);
        NodeState s = started(unknownPort, null).state();
        Decision<NodeState> due = react(s, new NodeAgentCore.ProbeDue(), T0);
        assertThat(effects(due, Probes.RunProbe.class)).containsExactly(new Probes.RunProbe("web", 0, unknownPort, Probes.LOOPBACK, 0));
    }

    @Test
    void theProbesOwnHostWins() {
        Probe hosted = new Probe(new Probe.HttpGet("/", 81, null, "192.0.2.7", null), null, null, 0, 10, 1, 1, 3);
        Decision<NodeState> due = react(started(hosted, "10.244.1.5").state(), new NodeAgentCore.ProbeDue(), T0);
        assertThat(effects(due, Probes.RunProbe.class)).extracting(Probes.RunProbe::host, Probes.RunProbe::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("192.0.2.7", 81));
    }

    @Test
    void viaLoopbackKeepsAProbesOwnHostOnly() {
        Probes.RunProbe toPod = new Probes.RunProbe("web", 0, HTTP_NAMED, "10.244.1.5", 8080);
        assertThat(toPod.viaLoopback().host()).isEqualTo(Probes.LOOPBACK);
        Probe hosted = new Probe(null, new Probe.TcpSocket(81, null, "192.0.2.7"), null, 0, 10, 1, 1, 3);
        Probes.RunProbe toHost = new Probes.RunProbe("web", 0, hosted, "192.0.2.7", 81);
        assertThat(toHost.viaLoopback()).isSameAs(toHost);
    }

    @Test
    void readyChangesArePublishedAndReReportedAndRepeatsAreNot() {
        NodeState s = started(HTTP_NAMED, "10.244.1.5").state();
        Decision<NodeState> ok = probe(s, at(5), true);
        assertThat(statuses(ok)).singleElement().satisfies(st -> {
            assertThat(st.ready()).isTrue();
            assertThat(st.state()).isEqualTo(ContainerState.Running);
            assertThat(st.podIP()).isEqualTo("10.244.1.5");
            assertThat(st.readyForTraffic()).isTrue();
        });
        assertThat(effects(ok, Probes.ProbeAt.class)).containsExactly(new Probes.ProbeAt(at(15)));
        assertThat(statuses(react(ok.state(), new NodeAgentCore.ReReport(), at(6)))).extracting(PodStatusChanged::ready).containsExactly(true);
        assertThat(statuses(probe(ok.state(), at(15), true))).as("still ready: nothing to say").isEmpty();
    }

    @Test
    void threeFailuresMakeAReadyPodNotReady() {
        NodeState s = probe(started(HTTP_NAMED, "10.244.1.5").state(), at(5), true).state();
        Decision<NodeState> d1 = probe(s, at(15), false);
        Decision<NodeState> d2 = probe(d1.state(), at(25), false);
        assertThat(statuses(d1)).isEmpty();
        assertThat(statuses(d2)).isEmpty();
        Decision<NodeState> d3 = probe(d2.state(), at(35), false);
        assertThat(statuses(d3)).extracting(PodStatusChanged::ready).containsExactly(false);
        assertThat(statuses(react(d3.state(), new NodeAgentCore.ReReport(), at(36)))).extracting(PodStatusChanged::ready).containsExactly(false);
    }

    @Test
    void anExitStopsTheProbingAndTheRestartStartsOver() {
        NodeState ready = probe(started(HTTP_NAMED, "10.244.1.5").state(), at(5), true).state();
        Decision<NodeState> exited = react(ready, new NodeAgentCore.Exited(new ContainerExit("web", 0, 1, false)), at(7));
        assertThat(statuses(exited)).isNotEmpty().allSatisfy(st -> assertThat(st.ready()).isFalse());
        assertThat(exited.state().readiness().pods()).isEmpty();
        assertThat(effects(exited, Probes.ProbeAt.class)).containsExactly(new Probes.ProbeAt(null));
        Instant due = exited.state().actual().get("web").restartAt();
        Decision<NodeState> restarting = react(exited.state(), new NodeAgentCore.WakeUp(), due);
        assertThat(statuses(restarting)).extracting(PodStatusChanged::ready).containsOnly(false);
        Decision<NodeState> again = react(restarting.state(), new NodeAgentCore.Started("web", 43, null, "10.244.1.5"), due);
        assertThat(again.state().readiness().pods().get("web").restarts()).isEqualTo(1);
        assertThat(again.state().readiness().ready("web")).isFalse();
        assertThat(effects(again, Probes.ProbeAt.class)).containsExactly(new Probes.ProbeAt(due.plusSeconds(5)));
        // a late result of the first run changes nothing
        assertThat(react(again.state(), new NodeAgentCore.ProbeResult("web", 0, true, null), due).state()).isSameAs(again.state());
    }

    @Test
    void aReleasedPodStopsBeingProbed() {
        NodeState ready = probe(started(HTTP_NAMED, "10.244.1.5").state(), at(5), true).state();
        NodeState released = NodeAgentCore.fold(ready, Envelope.spontaneous(
                new dev.berth.bus.contract.PodReleased("web", NODE, "web"), "test", at(6)));
        Decision<NodeState> d = NodeAgentCore.reconcile(released, at(6));
        assertThat(d.state().readiness().pods()).isEmpty();
        assertThat(statuses(d)).extracting(PodStatusChanged::state, PodStatusChanged::ready)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ContainerState.Terminating, false));
    }

    @Test
    void anAdoptedRunningContainerIsProbedFromItsStart() {
        NodeState s = NodeAgentCore.fold(NodeState.empty(NODE, Fixtures.BACKOFF), Envelope.spontaneous(placed("web", HTTP_NAMED), "test", T0));
        Decision<NodeState> d = react(s, new NodeAgentCore.Adopt(List.of(new FoundContainer("web", 42, T0, 0, 0, 1, null, null))), at(60));
        assertThat(d.state().readiness().pods()).containsKey("web");
        assertThat(d.state().readiness().ready("web")).isFalse();
        assertThat(effects(d, Probes.ProbeAt.class)).isNotEmpty();
    }

    static PodStatusChanged last(Decision<NodeState> d) {
        List<PodStatusChanged> all = statuses(d);
        return all.get(all.size() - 1);
    }
}
