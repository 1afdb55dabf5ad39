package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.PodPlaced.NodeScore;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.Taint;
import dev.berth.bus.contract.Toleration;
import dev.berth.scheduler.core.SchedulerState.Binding;
import dev.berth.scheduler.core.SchedulerState.Node;
import dev.berth.scheduler.core.SchedulerState.NodeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The scheduler reads flattened node views and prepares per pod what it can; this checks, on random
 * clusters, that it decides exactly as a plain reading of the rules over the views' objects
 * (capacity(), allocated(), labels(), taints(), every binding) would: same node, same top
 * candidates with the same scores, same rejection counts and messages.
 */
class ReferenceDecisionsTest {
    private static final Instant NOW = at(10);
    private static final String[] ZONES = {"a", "b", "c"};
    private static final String[] DEPLOYMENTS = {"web", "api", "db"};

    @Test
    void decidesLikeAPlainReadingOfTheRulesOnRandomClusters() {
        Random random = new Random(42);
        for (int cluster = 0; cluster < 300; cluster++) {
            SchedulerState state = randomCluster(random);
            for (SchedulingPolicy policy : SchedulingPolicy.values()) {
                Scheduler scheduler = new Scheduler(Profile.of(policy, STALENESS, 100));
                for (int p = 0; p < 5; p++) {
                    PodRequest pod = randomPod(random, p);
                    Decision actual = scheduler.schedule(state, pod, NOW);
                    assertThat(actual).as("cluster %d, %s, pod %s", cluster, policy, pod)
                            .isEqualTo(reference(state, policy, pod));
                }
            }
        }
    }

    private static SchedulerState randomCluster(Random random) {
        SchedulerState state = new SchedulerState();
        int nodes = 1 + random.nextInt(25);
        for (int i = 0; i < nodes; i++) {
            String name = "node-" + random.nextInt(40); // repeats: later heartbeats replace earlier ones
            Map<String, String> labels = new HashMap<>();
            int zone = random.nextInt(5);
            if (zone < 3) labels.put(random.nextBoolean() ? NodeView.ZONE_LABEL : NodeView.SHORT_ZONE_LABEL, ZONES[zone]);
            if (random.nextInt(3) == 0) labels.put("disk", "ssd");
            List<Taint> taints = new ArrayList<>();
            if (random.nextInt(4) == 0) taints.add(new Taint("dedicated", random.nextBoolean() ? "gpu" : "", "NoSchedule"));
            if (random.nextInt(4) == 0) taints.add(new Taint("soft", "x", "PreferNoSchedule"));
            NodeHeartbeat hb = heartbeat(name, 100 * (1 + random.nextInt(40)), 128 * (1 + random.nextInt(32)), random.nextInt(8))
                    .withLabelsAndTaints(labels, taints);
            if (random.nextBoolean()) { // busybox of some size here, as a node's image store would list it
                hb = hb.withContainerImages(List.of(new dev.berth.bus.contract.ContainerImage(
                        List.of("docker.io/library/busybox:latest"), (long) random.nextInt(1200) << 20)));
            }
            state.putNode(Node.of(hb, at(random.nextInt(10))));
            int status = random.nextInt(4);
            if (status > 0) state.putStatus(name, new NodeStatus(status == 1 ? NodeCondition.NotReady : NodeCondition.Ready,
                    random.nextInt(5) == 0));
        }
        List<String> names = new ArrayList<>(state.snapshot().nodes().keySet());
        int bindings = random.nextInt(60);
        for (int b = 0; b < bindings; b++) {
            String node = names.get(random.nextInt(names.size()));
            String deployment = DEPLOYMENTS[random.nextInt(DEPLOYMENTS.length)];
            Resources requested = new Resources(50L * random.nextInt(10), 64 * MI * random.nextInt(8));
            state.bind(new Binding("bound-" + b, node, requested, deployment, null, random.nextInt(6) > 0, null));
        }
        return state;
    }

    private static PodRequest randomPod(Random random, int p) {
        Map<String, String> selector = random.nextInt(4) == 0 ? Map.of("disk", "ssd") : Map.of();
        List<Toleration> tolerations = random.nextInt(3) == 0
                ? List.of(new Toleration("dedicated", Toleration.EXISTS, null, null)) : List.of();
        PodTemplate template = new PodTemplate("busybox", List.of(), List.of(), Map.of(),
                new Resources(50L * random.nextInt(8), 64 * MI * random.nextInt(6)), "Always", 10, selector, tolerations);
        return new PodRequest("pod-" + p, DEPLOYMENTS[random.nextInt(DEPLOYMENTS.length)], template);
    }

    // ---- the reference: every rule read straight from the views and the bindings

    private static Decision reference(SchedulerState state, SchedulingPolicy policy, PodRequest pod) {
        List<NodeView> nodes = state.nodeViews();
        if (nodes.isEmpty()) return new Decision.Unschedulable(Scheduler.NO_NODES, 0, Map.of());
        Map<String, Integer> filtered = new TreeMap<>();
        List<NodeScore> scored = new ArrayList<>();
        for (NodeView node : nodes) {
            String reason = rejection(pod, node);
            if (reason != null) filtered.merge(reason, 1, Integer::sum);
            else scored.add(score(state, policy, pod, node));
        }
        if (scored.isEmpty()) {
            return new Decision.Unschedulable(Scheduler.unschedulableMessage(nodes.size(), filtered), nodes.size(), filtered);
        }
        scored.sort(Comparator.comparingDouble(NodeScore::total).reversed().thenComparing(NodeScore::node));
        List<NodeScore> top = List.copyOf(scored.subList(0, Math.min(Scheduler.TOP_CANDIDATES, scored.size())));
        return new Decision.Placed(top.get(0).node(), nodes.size(), nodes.size(), filtered, top);
    }

    private static String rejection(PodRequest pod, NodeView node) {
        boolean ready = node.condition() != null ? node.condition() == NodeCondition.Ready
                : !node.lastHeartbeat().plus(STALENESS).isBefore(NOW);
        if (!ready) return "node not ready";
        if (node.cordoned()) return "node cordoned";
        for (var e : pod.nodeSelector().entrySet()) {
            if (!e.getValue().equals(node.labels().get(e.getKey()))) return "didn't match node selector";
        }
        for (Taint t : node.taints()) {
            if (!t.effect().equals("NoSchedule")) continue;
            if (pod.tolerations().stream().noneMatch(tol -> tol.tolerates(t))) {
                return "had untolerated taint {" + t.key() + (t.value().isEmpty() ? "" : "=" + t.value()) + "}";
            }
        }
        if (node.capacity().pods() - node.podCount() < 1) return "Too many pods";
        Resources free = node.capacity().resources().minus(node.allocated());
        if (pod.resources().cpuMillis() > free.cpuMillis()) return "Insufficient cpu";
        if (pod.resources().memoryBytes() > free.memoryBytes()) return "Insufficient memory";
        return null;
    }

    private static NodeScore score(SchedulerState state, SchedulingPolicy policy, PodRequest pod, NodeView node) {
        double cpu = fraction(node.capacity().cpuMillis(), node.allocated().cpuMillis() + pod.resources().cpuMillis());
        double memory = fraction(node.capacity().memoryBytes(), node.allocated().memoryBytes() + pod.resources().memoryBytes());
        double balanced = (1 - Math.abs(cpu - memory) / 2) * 100;
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Integer> weights = new HashMap<>();
        if (policy == SchedulingPolicy.SPREAD) {
            scores.put("LeastAllocated", rounded(((1 - cpu) + (1 - memory)) / 2 * 100));
            scores.put("BalancedAllocation", rounded(balanced));
            scores.put("SelectorSpread", rounded(spread(state, pod, node)));
            weights.put("SelectorSpread", 2);
        } else {
            scores.put("MostAllocated", rounded((cpu + memory) / 2 * 100));
            scores.put("BalancedAllocation", rounded(balanced));
            weights.put("MostAllocated", 2);
        }
        scores.put("ImageLocality", rounded(imageLocality(state, pod, node)));
        double total = 0;
        for (var e : scores.entrySet()) total += weights.getOrDefault(e.getKey(), 1) * e.getValue();
        return new NodeScore(node.name(), Math.round(total * 100) / 100.0, scores);
    }

    /** The image's size on the node × the share of all nodes listing it, 23 MB..1000 MB onto 0..100. */
    private static double imageLocality(SchedulerState state, PodRequest pod, NodeView node) {
        String image = dev.berth.bus.ImageReference.parse(pod.template().image()).toString();
        Long size = node.images().get(image);
        if (size == null) return 0;
        long having = state.nodeViews().stream().filter(v -> v.images().containsKey(image)).count();
        double scaled = size * ((double) having / state.nodeViews().size());
        double min = 23.0 * 1024 * 1024, max = 1000.0 * 1024 * 1024;
        return 100 * (Math.min(max, Math.max(min, scaled)) - min) / (max - min);
    }

    private static double fraction(long capacity, long used) {
        return capacity <= 0 ? 1 : Math.max(0, Math.min(1, (double) used / capacity));
    }

    /** SelectorSpread by counting the deployment's capacity-holding bindings per node and per zone. */
    private static double spread(SchedulerState state, PodRequest pod, NodeView node) {
        Map<String, Integer> byNode = new HashMap<>(), byZone = new HashMap<>();
        for (Binding b : state.bindings()) {
            if (!b.holdsCapacity() || !b.deployment().equals(pod.deployment())) continue;
            byNode.merge(b.node(), 1, Integer::sum);
            Node n = state.node(b.node());
            String zone = n == null ? null : NodeView.zoneOf(n.labels());
            if (zone != null) byZone.merge(zone, 1, Integer::sum);
        }
        double nodePart = part(byNode.getOrDefault(node.name(), 0), byNode.values().stream().mapToInt(i -> i).max().orElse(0));
        String zone = NodeView.zoneOf(node.labels());
        if (zone == null) return nodePart;
        double zonePart = part(byZone.getOrDefault(zone, 0), byZone.values().stream().mapToInt(i -> i).max().orElse(0));
        return nodePart * (1 - 2.0 / 3) + zonePart * (2.0 / 3);
    }

    private static double part(int here, int max) { return max == 0 ? 100 : 100.0 * (max - here) / max; }

    /** A plugin's score as it counts: clamped to 0..100, in hundredths. */
    private static double rounded(double v) { return Math.round(Math.max(0, Math.min(100, v)) * 100) / 100.0; }
}
