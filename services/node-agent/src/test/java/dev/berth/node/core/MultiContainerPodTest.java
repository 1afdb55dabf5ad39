package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.BACKOFF;
import static dev.berth.node.core.Fixtures.NODE;
import static dev.berth.node.core.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.ContainerStatus;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Probe;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pod of several containers on the node core: init containers one at a time in order, each to exit 0, before
 * the app containers all start; each container restarts on its own under the pod's policy; the pod is ready when
 * all its app containers are; its status lists every container.
 */
class MultiContainerPodTest {
    static final String POD = "shop-abcde";
    static final Container SETUP1 = Container.of("setup1", "busybox", List.of("true"));
    static final Container SETUP2 = Container.of("setup2", "busybox", List.of("true"));
    static final Container WEB = Container.of("web", "busybox", List.of("httpd", "-f"))
            .withReadinessProbe(Probe.exec(List.of("true"), 1, 3));
    static final Container SIDE = Container.of("side", "alpine", List.of("sleep", "3600"));

    static PodTemplate template(String policy, List<Container> init) {
        return new PodTemplate(List.of(WEB, SIDE), init, policy, 10, null, null, null, null);
    }

    static NodeState placed(PodTemplate t) {
        return NodeCore.placed(NodeState.empty(NODE, BACKOFF), new PodPlaced(POD, NODE, "shop", t, 1, Map.of(), List.of()));
    }

    static List<String> starts(Decision<NodeState> d) {
        return d.effects().stream().filter(NodeAction.StartContainer.class::isInstance)
                .map(e -> ((NodeAction.StartContainer) e).pod()).toList();
    }

    static PodStatusChanged lastStatus(Decision<NodeState> d) {
        List<PodStatusChanged> all = d.outputs().stream().map(o -> o.payload()).filter(PodStatusChanged.class::isInstance)
                .map(PodStatusChanged.class::cast).toList();
        assertThat(all).as("statuses of %s", d).isNotEmpty();
        return all.get(all.size() - 1);
    }

    static ContainerStatus of(List<ContainerStatus> statuses, String name) {
        return statuses.stream().filter(cs -> cs.name().equals(name)).findFirst().orElseThrow();
    }

    static Decision<NodeState> react(NodeState s, Object input, Instant now) {
        return NodeAgentCore.react(s, input, now);
    }

    static Decision<NodeState> exited(NodeState s, String id, int code, Instant now) {
        return react(s, new NodeAgentCore.Exited(new ContainerExit(id, s.actual().get(id).restarts(), code, false)), now);
    }

    @Test
    void initContainersRunOneAtATimeInOrderBeforeTheAppContainersAllStart() {
        Decision<NodeState> d = NodeAgentCore.reconcile(placed(template("Always", List.of(SETUP1, SETUP2))), at(0));
        assertThat(starts(d)).containsExactly(POD + "_setup1");
        PodStatusChanged st = lastStatus(d);
        assertThat(st.pod()).isEqualTo(POD);
        assertThat(st.state()).isEqualTo(ContainerState.Starting);
        assertThat(st.reason()).isEqualTo("Init:0/2");
        assertThat(st.initContainerStatuses()).extracting(ContainerStatus::name).containsExactly("setup1", "setup2");
        assertThat(of(st.containerStatuses(), "web").reason()).isEqualTo("PodInitializing");

        d = react(d.state(), new NodeAgentCore.Started(POD + "_setup1", 10, "busybox@sha256:1"), at(1));
        assertThat(starts(d)).as("the next init container waits for the first to exit").isEmpty();
        d = exited(d.state(), POD + "_setup1", 0, at(2));
        assertThat(starts(d)).containsExactly(POD + "_setup2");
        assertThat(lastStatus(d).reason()).isEqualTo("Init:1/2");
        assertThat(of(lastStatus(d).initContainerStatuses(), "setup1").ready()).as("completed").isTrue();

        d = react(d.state(), new NodeAgentCore.Started(POD + "_setup2", 11, null), at(3));
        d = exited(d.state(), POD + "_setup2", 0, at(4));
        assertThat(starts(d)).containsExactly(POD + "_web", POD + "_side");
        assertThat(d.state().actual().get(POD + "_setup1").state()).as("a completed init container is never run again")
                .isEqualTo(ContainerState.Exited);

        d = react(d.state(), new NodeAgentCore.Started(POD + "_web", 12, null), at(5));
        assertThat(lastStatus(d).state()).as("one of two runs").isEqualTo(ContainerState.Starting);
        d = react(d.state(), new NodeAgentCore.Started(POD + "_side", 13, "alpine@sha256:2"), at(5));
        st = lastStatus(d);
        assertThat(st.state()).isEqualTo(ContainerState.Running);
        assertThat(st.ready()).as("web's readiness probe has not passed yet").isFalse();
        assertThat(st.readyColumn()).isEqualTo("1/2");
        assertThat(of(st.containerStatuses(), "side").imageID()).isEqualTo("alpine@sha256:2");
        assertThat(of(st.containerStatuses(), "side").image()).isEqualTo("alpine");
    }

    @Test
    void thePodIsReadyOnlyWhenAllItsContainersAre() {
        NodeState s = running(placed(template("Always", List.of())));
        assertThat(s.reported().get(POD).ready()).isFalse();

        Decision<NodeState> due = react(s, new NodeAgentCore.ProbeDue(), at(20));
        List<Probes.RunProbe> probes = due.effects().stream().filter(Probes.RunProbe.class::isInstance).map(Probes.RunProbe.class::cast).toList();
        assertThat(probes).extracting(Probes.RunProbe::pod).as("only web has a probe").containsExactly(POD + "_web");
        Decision<NodeState> ready = react(due.state(), new NodeAgentCore.ProbeResult(POD + "_web", 0, true, null), at(20));
        PodStatusChanged st = lastStatus(ready);
        assertThat(st.ready()).isTrue();
        assertThat(st.readyColumn()).isEqualTo("2/2");
        assertThat(st.readyForTraffic()).isTrue();
    }

    @Test
    void aContainerThatExitsRestartsAloneAndItsCountIsItsOwn() {
        NodeState s = running(placed(template("Always", List.of())));
        Decision<NodeState> d = exited(s, POD + "_side", 1, at(30));
        PodStatusChanged st = lastStatus(d);
        assertThat(st.state()).isEqualTo(ContainerState.Waiting);
        assertThat(st.reason()).isEqualTo(Restarts.CRASH_LOOP_BACK_OFF);
        assertThat(of(st.containerStatuses(), "web").state()).as("its neighbour runs on").isEqualTo(ContainerState.Running);
        assertThat(d.state().actual().get(POD + "_web").state()).isEqualTo(ContainerState.Running);

        Decision<NodeState> again = NodeAgentCore.reconcile(d.state(), at(40));
        assertThat(starts(again)).containsExactly(POD + "_side");
        again = react(again.state(), new NodeAgentCore.Started(POD + "_side", 20, null), at(40));
        st = lastStatus(again);
        assertThat(of(st.containerStatuses(), "side").restartCount()).isEqualTo(1);
        assertThat(of(st.containerStatuses(), "web").restartCount()).isZero();
        assertThat(st.restartCount()).as("the pod's: its containers' restarts summed, as kubectl's RESTARTS").isEqualTo(1);
    }

    @Test
    void aFailingLivenessProbeKillsOnlyItsOwnContainer() {
        Container side = SIDE.withHealthProbes(Probe.exec(List.of("false"), 1, 1), null);
        NodeState s = running(placed(new PodTemplate(List.of(WEB, side), List.of(), "Always", 10, null, null, null, null)));
        Decision<NodeState> due = react(s, new NodeAgentCore.ProbeDue(), at(20));
        assertThat(due.effects()).filteredOn(Probes.RunProbe.class::isInstance).map(e -> (Probes.RunProbe) e)
                .extracting(Probes.RunProbe::pod, Probes.RunProbe::kind)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(POD + "_web", "Readiness"),
                        org.assertj.core.groups.Tuple.tuple(POD + "_side", "Liveness"));
        Decision<NodeState> failed = react(due.state(), new NodeAgentCore.ProbeResult(POD + "_side", 0, false, "exit 1", "Liveness"), at(20));
        assertThat(failed.effects()).filteredOn(NodeAction.class::isInstance).extracting(e -> ((NodeAction) e).pod())
                .containsExactly(POD + "_side");
        assertThat(failed.outputs()).extracting(o -> o.key()).as("PodUnhealthy under the pod's key").containsOnly(POD);
    }

    @Test
    void aFailingInitContainerRestartsWithBackOffUnderAlwaysAndFailsThePodUnderNever() {
        Decision<NodeState> d = NodeAgentCore.reconcile(placed(template("Always", List.of(SETUP1))), at(0));
        d = react(d.state(), new NodeAgentCore.Started(POD + "_setup1", 10, null), at(1));
        d = exited(d.state(), POD + "_setup1", 2, at(2));
        assertThat(lastStatus(d).reason()).isEqualTo("Init:CrashLoopBackOff");
        assertThat(lastStatus(d).state()).isEqualTo(ContainerState.Waiting);
        assertThat(starts(d)).as("no app container before the init container completed").isEmpty();
        assertThat(starts(NodeAgentCore.reconcile(d.state(), at(10)))).containsExactly(POD + "_setup1");

        Decision<NodeState> never = NodeAgentCore.reconcile(placed(template("Never", List.of(SETUP1))), at(0));
        never = react(never.state(), new NodeAgentCore.Started(POD + "_setup1", 10, null), at(1));
        never = exited(never.state(), POD + "_setup1", 2, at(2));
        assertThat(lastStatus(never).state()).isEqualTo(ContainerState.Failed);
        assertThat(lastStatus(never).reason()).isEqualTo("Init:Error");
        assertThat(starts(NodeAgentCore.reconcile(never.state(), at(60)))).isEmpty();
    }

    @Test
    void anInitContainerThatCompletedIsNotRestartedUnderAlways() {
        Decision<NodeState> d = NodeAgentCore.reconcile(placed(template("Always", List.of(SETUP1))), at(0));
        d = react(d.state(), new NodeAgentCore.Started(POD + "_setup1", 10, null), at(1));
        d = exited(d.state(), POD + "_setup1", 0, at(2));
        assertThat(d.state().actual().get(POD + "_setup1").state()).isEqualTo(ContainerState.Exited);
        assertThat(NodeCore.nextWakeUp(d.state())).isEmpty();
    }

    @Test
    void releasingThePodStopsEveryContainerAndItsNetworkGoesWithTheLast() {
        NodeState s = running(placed(template("Always", List.of())));
        s = NodeCore.released(s, new PodReleased(POD, NODE, "deleted"));
        Decision<NodeState> d = NodeAgentCore.reconcile(s, at(50));
        assertThat(d.effects()).filteredOn(NodeAction.StopContainer.class::isInstance).extracting(e -> ((NodeAction) e).pod())
                .containsExactlyInAnyOrder(POD + "_web", POD + "_side");
        Decision<NodeState> first = react(d.state(), new NodeAgentCore.Stopped(POD + "_side"), at(51));
        assertThat(first.effects()).noneMatch(NodeAction.RemovePodNetwork.class::isInstance);
        Decision<NodeState> last = react(first.state(), new NodeAgentCore.Stopped(POD + "_web"), at(52));
        assertThat(last.effects()).contains(new NodeAction.RemovePodNetwork(POD));
        assertThat(lastStatus(last).state()).isEqualTo(ContainerState.Stopped);
        assertThat(last.state().reported()).doesNotContainKey(POD);
    }

    @Test
    void anAgentThatRestartedAdoptsEachContainerAndStartsNoInitContainerAgain() {
        NodeState s = placed(template("Always", List.of(SETUP1)));
        List<FoundContainer> found = List.of(
                new FoundContainer(POD + "_setup1", 0, at(0), 0, 0, 10, new ContainerExit(POD + "_setup1", 0, 0, false)),
                new FoundContainer(POD + "_web", 21, at(1), 0, 0, 10, null),
                new FoundContainer(POD + "_side", 22, at(1), 0, 0, 10, null));
        Decision<NodeState> d = react(s, new NodeAgentCore.Adopt(found), at(5));
        assertThat(starts(d)).isEmpty();
        PodStatusChanged st = lastStatus(d);
        assertThat(st.state()).isEqualTo(ContainerState.Running);
        assertThat(st.containerStatuses()).extracting(ContainerStatus::state).containsOnly(ContainerState.Running);
    }

    @Test
    void aSingleContainerPodKeepsItsPodNamedContainerAndItsFlatStatus() {
        PodTemplate one = new PodTemplate(List.of(SIDE), List.of(), "Always", 10, null, null, null, null);
        Decision<NodeState> d = NodeAgentCore.reconcile(placed(one), at(0));
        assertThat(starts(d)).containsExactly(POD);
        assertThat(lastStatus(d).containerStatuses()).isEmpty();
    }

    /** Both app containers started at second 10. */
    private static NodeState running(NodeState s) {
        Decision<NodeState> d = NodeAgentCore.reconcile(s, at(10));
        d = react(d.state(), new NodeAgentCore.Started(POD + "_web", 1, null), at(10));
        d = react(d.state(), new NodeAgentCore.Started(POD + "_side", 2, null), at(10));
        return d.state();
    }
}
