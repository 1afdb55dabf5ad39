package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.scheduler.core.SchedulerState.Node;
import dev.berth.scheduler.core.plugins.NodePorts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes' NodePorts filter: two pods publishing the same hostPort and protocol never share a node. */
class NodePortsTest {
    private final SchedulerState state = new SchedulerState();
    private final Scheduler scheduler = new Scheduler(Profile.of(SchedulingPolicy.SPREAD, STALENESS));

    private static PodTemplate publishing(ContainerPort... ports) { return template(100, 64, "Always").withPorts(List.of(ports)); }

    private void node(String name) { state.putNode(Node.of(heartbeat(name, 4000, 4096, 10), T0)); }

    private void bound(String pod, String node, PodTemplate t) {
        Appliers.apply(state, new PodCreated(pod, "web", 1, t));
        Appliers.apply(state, new PodPlaced(pod, node, "web", t, 1, Map.of(), List.of()));
    }

    private Decision schedule(String pod, PodTemplate t) { return scheduler.schedule(state, new PodRequest(pod, "web", t), T0); }

    @Test
    void aPodWithoutHostPortsGivesTheFilterNothingToDo() {
        assertThat(new NodePorts().forPod(new PodRequest("p", "web", publishing(ContainerPort.of(80))))).isNull();
        assertThat(new NodePorts().forPod(new PodRequest("p", "web", template(100, 64, "Always")))).isNull();
    }

    @Test
    void theSecondPodWithTheSameHostPortGoesToAnotherNode() {
        node("node-1");
        node("node-2");
        bound("a", "node-1", publishing(ContainerPort.host(80, 8080)));

        Decision.Placed placed = (Decision.Placed) schedule("b", publishing(ContainerPort.host(8080, 8080)));

        assertThat(placed.node()).isEqualTo("node-2");
        assertThat(placed.filtered()).isEqualTo(Map.of(NodePorts.NO_FREE_PORTS, 1));
    }

    @Test
    void withEveryNodeHoldingThePortThePodIsUnschedulableWithKubernetesReason() {
        node("node-1");
        bound("a", "node-1", publishing(ContainerPort.host(80, 8080)));

        Decision d = schedule("b", publishing(ContainerPort.host(80, 8080)));

        assertThat(d).isInstanceOf(Decision.Unschedulable.class);
        assertThat(((Decision.Unschedulable) d).message())
                .isEqualTo("0/1 nodes available: 1 node(s) didn't have free ports for the requested pod ports.");
    }

    @Test
    void anotherProtocolOrAnotherPortFits() {
        node("node-1");
        bound("a", "node-1", publishing(ContainerPort.host(53, 53)));

        assertThat(schedule("udp", publishing(new ContainerPort(53, "dns", "UDP", 53)))).isInstanceOf(Decision.Placed.class);
        assertThat(schedule("other", publishing(ContainerPort.host(53, 54)))).isInstanceOf(Decision.Placed.class);
        assertThat(schedule("none", publishing(ContainerPort.of(53)))).isInstanceOf(Decision.Placed.class);
    }

    @Test
    void thePortIsFreeAgainOnceItsPodEndedForGood() {
        node("node-1");
        bound("a", "node-1", publishing(ContainerPort.host(80, 8080)));
        assertThat(state.allocation("node-1").hostPorts()).containsEntry("8080/TCP", 1);
        Appliers.apply(state, new PodDeletionRequested("a", "web", "deleted"));
        Appliers.apply(state, new PodStatusChanged("a", "node-1", ContainerState.Stopped, 0, "Deleted", "container removed", 0));

        assertThat(state.allocation("node-1").hostPorts()).isEmpty();
        assertThat(schedule("b", publishing(ContainerPort.host(80, 8080)))).isInstanceOf(Decision.Placed.class);
    }
}
