package dev.berth.controller.core;

import static dev.berth.controller.core.Harness.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.CordonNode;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.UncordonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Pod CIDRs as node lifecycle hands them out: with the first status, once, kept through every later status and a rebuild. */
class NodePodCidrTest {
    private static final NodeTimeouts WATCHING = new NodeTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), T0.minusSeconds(3600));
    private final Harness h = new Harness();

    private static Instant at(double seconds) { return T0.plusMillis((long) (seconds * 1000)); }

    private List<NodeStatusChanged> check(double seconds, PodCidrAllocator cidrs) {
        var step = NodeLifecycle.check(h.state, at(seconds), WATCHING, cidrs);
        h.state = step.state();
        return step.outputs().stream().map(o -> o.payload()).filter(NodeStatusChanged.class::isInstance)
                .map(NodeStatusChanged.class::cast).toList();
    }

    private Map<String, String> published() {
        Map<String, String> m = new TreeMap<>();
        h.state.nodes().values().forEach(n -> { if (n.podCIDR() != null) m.put(n.name(), n.podCIDR()); });
        return m;
    }

    @Test
    void aNodesFirstStatusCarriesTheLowestFreeBlockInTheOrderNodesAreFirstHeard() {
        h.heartbeatAt(at(0), "node-b");
        assertThat(check(0.25, PodCidrAllocator.defaults())).containsExactly(
                new NodeStatusChanged("node-b", NodeCondition.Ready, false, "heartbeats received", at(0), "10.244.0.0/24"));
        h.heartbeatAt(at(1), "node-a");
        h.heartbeatAt(at(1), "node-c");
        List<NodeStatusChanged> next = check(1.25, PodCidrAllocator.defaults());
        assertThat(next).extracting(NodeStatusChanged::node, NodeStatusChanged::podCIDR)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", "10.244.1.0/24"),
                        org.assertj.core.groups.Tuple.tuple("node-c", "10.244.2.0/24"));
        assertThat(check(1.5, PodCidrAllocator.defaults())).as("allocated once").isEmpty();
    }

    @Test
    void everyLaterStatusKeepsTheBlock() {
        h.heartbeatAt(at(0), "node-1");
        check(0.25, PodCidrAllocator.defaults());
        List<NodeStatusChanged> notReady = check(3.0, PodCidrAllocator.defaults());
        assertThat(notReady).singleElement().satisfies(s -> {
            assertThat(s.condition()).isEqualTo(NodeCondition.NotReady);
            assertThat(s.podCIDR()).isEqualTo("10.244.0.0/24");
        });
        List<Event> cordoned = h.command(new CordonNode("node-1"));
        List<Event> uncordoned = h.command(new UncordonNode("node-1"));
        assertThat(cordoned).filteredOn(NodeStatusChanged.class::isInstance).singleElement()
                .extracting(e -> ((NodeStatusChanged) e).podCIDR()).isEqualTo("10.244.0.0/24");
        assertThat(uncordoned).filteredOn(NodeStatusChanged.class::isInstance).singleElement()
                .extracting(e -> ((NodeStatusChanged) e).podCIDR()).isEqualTo("10.244.0.0/24");
        h.heartbeatAt(at(4), "node-1");
        assertThat(check(4.25, PodCidrAllocator.defaults())).singleElement().extracting(NodeStatusChanged::podCIDR).isEqualTo("10.244.0.0/24");
    }

    @Test
    void aRebuildFromThePublishedStatusesGivesTheSameBlocksWhateverOrderNodesAreHeardInNext() {
        for (String n : List.of("n-1", "n-2", "n-3")) h.heartbeatAt(at(0), n);
        List<NodeStatusChanged> first = check(0.25, PodCidrAllocator.defaults());
        Map<String, String> before = published();

        // a new controller: only the statuses from berth.nodes, then heartbeats in another order and a new node
        ControllerState rebuilt = ControllerState.empty();
        for (NodeStatusChanged s : first) rebuilt = EventAppliers.apply(rebuilt, s, at(0.25));
        h.state = rebuilt;
        for (String n : List.of("n-new", "n-3", "n-1", "n-2")) h.heartbeatAt(at(10), n);
        List<NodeStatusChanged> after = check(10.25, PodCidrAllocator.defaults());

        assertThat(published()).containsAllEntriesOf(before).containsEntry("n-new", "10.244.3.0/24");
        assertThat(after).extracting(NodeStatusChanged::node).containsExactly("n-new");
    }

    @Test
    void aNodeKnownWithoutABlockFromAnOldLogGetsOneInAStatusOfItsOwn() {
        h.readAt(at(0), new NodeStatusChanged("old", NodeCondition.Ready, false, "heartbeats received", at(0)));
        h.heartbeatAt(at(0.5), "old");
        assertThat(check(0.75, PodCidrAllocator.defaults())).containsExactly(
                new NodeStatusChanged("old", NodeCondition.Ready, false, "pod CIDR 10.244.0.0/24 allocated", at(0.5), "10.244.0.0/24"));
    }

    @Test
    void aFullClusterCidrIsAnsweredWithAReasonOnceAndTheNodeStaysWithoutABlock() {
        PodCidrAllocator two = PodCidrAllocator.of("10.9.0.0/23", 24); // two blocks
        for (String n : List.of("a", "b", "c")) h.heartbeatAt(at(0), n);
        List<NodeStatusChanged> statuses = check(0.25, two);
        assertThat(statuses).extracting(NodeStatusChanged::podCIDR).containsExactly("10.9.0.0/24", "10.9.1.0/24", null);
        assertThat(statuses.get(2).condition()).isEqualTo(NodeCondition.Ready);
        assertThat(statuses.get(2).reason()).contains("CIDRNotAvailable: no pod CIDR left for node c: all 2 /24 blocks of cluster CIDR 10.9.0.0/23 are allocated");
        for (int second = 1; second < 3; second++) {
            for (String n : List.of("a", "b", "c")) h.heartbeatAt(at(second), n);
            assertThat(check(second + 0.25, two)).as("said once").isEmpty();
        }
        assertThat(h.state.nodes().get("c").podCIDR()).isNull();
    }

    @Test
    void withoutAnAllocatorNoBlockIsGiven() {
        h.heartbeatAt(at(0), "node-1");
        assertThat(check(0.25, null)).singleElement().extracting(NodeStatusChanged::podCIDR).isNull();
    }

    @Test
    void manyNodesGetDistinctBlocksAndTheSameOnesOnEveryReplay() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) names.add("node-" + i);
        for (String n : names) h.heartbeatAt(at(0), n);
        List<NodeStatusChanged> statuses = check(0.25, PodCidrAllocator.defaults());
        assertThat(statuses).hasSize(300);
        assertThat(statuses.stream().filter(s -> s.podCIDR() != null).map(NodeStatusChanged::podCIDR).distinct()).hasSize(256);
        assertThat(statuses.stream().filter(s -> s.podCIDR() == null)).hasSize(44)
                .allSatisfy(s -> assertThat(NodePodCidrs.refused(s.reason())).isTrue());
        Map<String, String> once = published();

        Harness again = new Harness();
        for (String n : names) again.heartbeatAt(at(0), n);
        again.state = NodeLifecycle.check(again.state, at(0.25), WATCHING, PodCidrAllocator.defaults()).state();
        Map<String, String> twice = new TreeMap<>();
        again.state.nodes().values().forEach(n -> { if (n.podCIDR() != null) twice.put(n.name(), n.podCIDR()); });
        assertThat(twice).isEqualTo(once);
    }
}
