package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod indexes are derived data: after any sequence of pod events, applied one by one or in
 * steps of several, they equal what a scan of the pods says, and folding the same events from the
 * log gives the same state.
 */
class PodIndexPropertyTest {
    private static final List<String> DEPLOYMENTS = List.of("web", "api", "db");
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3", "node-4");
    private static final int PODS_PER_DEPLOYMENT = 6;

    static LongStream seeds() { return LongStream.range(0, 300); }

    @ParameterizedTest
    @MethodSource("seeds")
    void indexesEqualARecomputationFromThePods(long seed) {
        Random random = new Random(seed);
        ControllerState state = ControllerState.empty();
        List<Envelope> log = new ArrayList<>();
        for (int step = 0; step < 60; step++) {
            List<Event> events = new ArrayList<>();
            int size = 1 + random.nextInt(4);
            for (int i = 0; i < size; i++) events.add(randomEvent(random));
            events.forEach(e -> log.add(Envelope.spontaneous(e, "test", Harness.T0)));
            state = random.nextBoolean() ? EventAppliers.applyAll(state, events, Harness.T0) : applyOneByOne(state, events);
            assertIndexesMatchPods(state);
        }
        assertThat(EventAppliers.fold(ControllerState.empty(), log)).isEqualTo(state);
    }

    private static ControllerState applyOneByOne(ControllerState state, List<Event> events) {
        for (Event e : events) state = EventAppliers.apply(state, e, Harness.T0);
        return state;
    }

    private static Event randomEvent(Random random) {
        String deployment = pick(random, DEPLOYMENTS);
        // Names may repeat across deployments' events: a PodCreated for a known name is ignored.
        String pod = pick(random, DEPLOYMENTS) + "-" + random.nextInt(PODS_PER_DEPLOYMENT);
        String node = random.nextInt(8) == 0 ? null : pick(random, NODES);
        ContainerState[] states = ContainerState.values();
        return switch (random.nextInt(6)) {
            case 0, 1 -> new PodCreated(pod, deployment, 1, Samples.template());
            case 2 -> new PodPlaced(pod, node == null ? "node-1" : node, deployment, Samples.template(), 4, null, null);
            case 3 -> new PodStatusChanged(pod, node, states[random.nextInt(states.length)], null, null, null, 0);
            case 4 -> new PodDeletionRequested(pod, deployment, "test");
            default -> new PodLost(pod, deployment, node, "test");
        };
    }

    static void assertIndexesMatchPods(ControllerState state) {
        Map<String, List<PodRecord>> byDeployment = state.pods().values().stream()
                .collect(Collectors.groupingBy(PodRecord::deployment, TreeMap::new, Collectors.toList()));
        byDeployment.values().forEach(pods -> pods.sort(Comparator.comparingLong(PodRecord::serial).thenComparing(PodRecord::name)));
        Map<String, List<PodRecord>> byNode = state.pods().values().stream().filter(p -> p.node() != null)
                .collect(Collectors.groupingBy(PodRecord::node, TreeMap::new, Collectors.toList()));
        byNode.values().forEach(pods -> pods.sort(Comparator.comparing(PodRecord::name)));

        assertThat(state.deploymentsWithPods()).containsExactlyInAnyOrderElementsOf(byDeployment.keySet());
        byDeployment.forEach((d, pods) -> {
            assertThat(state.podsOf(d)).as("pods of %s", d).containsExactlyElementsOf(pods);
            assertThat(state.livePodsOf(d)).containsExactlyElementsOf(pods.stream().filter(p -> !p.deletionRequested()).toList());
        });
        assertThat(state.nodesWithPods()).containsExactlyInAnyOrderElementsOf(byNode.keySet());
        byNode.forEach((n, pods) -> assertThat(state.podsOn(n)).as("pods on %s", n).containsExactlyElementsOf(pods));
        for (String unknown : List.of("nope", "node-9")) {
            assertThat(state.podsOf(unknown)).isEmpty();
            assertThat(state.podsOn(unknown)).isEmpty();
        }
    }

    private static <T> T pick(Random random, List<T> from) { return from.get(random.nextInt(from.size())); }
}
