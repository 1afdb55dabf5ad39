package dev.berth.node.hollow;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.LogTail;
import dev.berth.bus.Publisher;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.node.core.NodeCore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Simulated ("hollow") nodes for benchmarks and scale tests, many in one verticle: each heartbeats
 * and answers its placements through the same topics and contract as a real node agent, but runs
 * no containers — a placed pod is Running at once, a released one Stopped. Never used by `berth up`.
 */
public final class HollowNodes extends VerticleBase {

    /**
     * How many nodes, named {@code <prefix>1..<prefix>N}, each offering {@code capacity}; with {@code zones}
     * above 0, node i is labelled {@code topology.kubernetes.io/zone=zone-<1 + (i-1) mod zones>}.
     */
    public record Options(String prefix, int count, NodeResources capacity, Duration heartbeatInterval, int zones) {
        public Options(String prefix, int count, NodeResources capacity, Duration heartbeatInterval) {
            this(prefix, count, capacity, heartbeatInterval, 0);
        }

        public static Options of(int count) {
            return new Options("hollow-", count, new NodeResources(4000, 16L << 30, 110), Duration.ofSeconds(1));
        }

        public Options withZones(int z) { return new Options(prefix, count, capacity, heartbeatInterval, z); }

        /** The labels of node number {@code i} (1-based). */
        Map<String, String> labels(int i) {
            return zones <= 0 ? Map.of() : Map.of(ZONE_LABEL, "zone-" + (1 + (i - 1) % zones));
        }
    }

    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final BusConfig bus;
    private final Options options;
    private final Instant startedAt = Instant.now();
    /** Per node, the pods it "runs": changed on this verticle's context, read by the heartbeats and by tests (concurrent maps). */
    private final Map<String, Map<String, PodPlaced>> running = new TreeMap<>();
    private final Map<String, Map<String, String>> labels = new HashMap<>();
    /** Nodes that died: no heartbeats, no answers (tests of node failure). */
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();
    private Publisher publisher;
    private LogTail placements;
    private String heartbeats;

    public HollowNodes(BusConfig bus, Options options) {
        this.bus = bus;
        this.options = options;
        for (int i = 1; i <= options.count(); i++) {
            running.put(options.prefix() + i, new ConcurrentHashMap<>());
            labels.put(options.prefix() + i, options.labels(i));
        }
    }

    @Override
    public Future<?> start() {
        publisher = Publisher.create(vertx, bus, "hollow-nodes");
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            return LogReader.readAll(bus, List.of(Topic.PLACEMENTS), r -> apply(r, null));
        }).onSuccess(end -> {
            placements = LogTail.follow(vertx, bus, "hollow-nodes", List.of(Topic.PLACEMENTS),
                    new LogTail.Start.FromOffsets(end), this::onPlacements);
        }).compose(end -> vertx.deployVerticle(new Heartbeats())).onSuccess(id -> heartbeats = id);
    }

    private Future<?> onPlacements(List<RawRecord> batch) {
        List<Envelope> statuses = new ArrayList<>();
        for (RawRecord r : batch) apply(r, statuses);
        List<Publisher.Message> messages = new ArrayList<>(statuses.size());
        for (Envelope status : statuses) messages.add(new Publisher.Message(Topic.POD_STATUS, ((PodStatusChanged) status.data()).pod(), status));
        return publisher.sendAll(messages);
    }

    /**
     * Folds one placement record; with {@code statuses} non-null, reports what changed, caused by the
     * record, as a real agent reports a pod's first start and its stop.
     */
    private void apply(RawRecord r, List<Envelope> statuses) {
        Map<String, PodPlaced> pods = running.get(r.key());
        if (pods == null || silenced.contains(r.key())) return; // another node's placement, or a dead one
        Envelope e;
        try {
            e = Json.decode(r.value());
        } catch (BadRecordException ex) {
            return; // the real agents set bad records aside; a benchmark node just skips them
        }
        if (e.data() instanceof PodPlaced p && pods.putIfAbsent(p.pod(), p) == null) {
            if (statuses != null) statuses.add(status(e, p.pod(), r.key(), ContainerState.Running, "Started"));
        } else if (e.data() instanceof PodReleased rel && pods.remove(rel.pod()) != null) {
            if (statuses != null) statuses.add(status(e, rel.pod(), r.key(), ContainerState.Stopped, "Deleted"));
        }
    }

    private Envelope status(Envelope cause, String pod, String node, ContainerState state, String reason) {
        PodStatusChanged status = new PodStatusChanged(pod, node, state, null, reason, "hollow node", 0);
        return Envelope.causedBy(cause, status, publisher.source(), Instant.now());
    }

    /**
     * The nodes' heartbeats, on an event loop of their own and spread evenly over the interval, like
     * separate machines: a burst of placements keeping the nodes busy must not silence them all (a
     * real agent's heartbeat does not wait for another node's work).
     */
    private final class Heartbeats extends VerticleBase {
        private static final int SLICES = 10;
        private final List<String> nodes = List.copyOf(running.keySet());
        private Publisher out;
        private long timer;
        private int slice;
        private long sequence;

        @Override
        public Future<?> start() {
            out = Publisher.create(vertx, bus, "hollow-nodes-heartbeats");
            timer = vertx.setPeriodic(0, Math.max(1, options.heartbeatInterval().toMillis() / SLICES), id -> sendSlice());
            return Future.succeededFuture();
        }

        private void sendSlice() {
            Instant now = Instant.now();
            int from = nodes.size() * slice / SLICES, to = nodes.size() * (slice + 1) / SLICES;
            List<Publisher.Message> beats = new ArrayList<>(to - from);
            for (String node : nodes.subList(from, to)) {
                if (!silenced.contains(node)) {
                    beats.add(new Publisher.Message(Topic.NODE_HEARTBEATS, node, Envelope.spontaneous(heartbeat(node), out.source(), now)));
                }
            }
            out.sendAndForget(beats); // a lost heartbeat is replaced by the next one
            if (++slice == SLICES) {
                slice = 0;
                sequence++;
            }
        }

        private NodeHeartbeat heartbeat(String node) {
            NodeResources c = options.capacity();
            Map<String, PodPlaced> pods = running.get(node);
            return new NodeHeartbeat(node, c, NodeCore.allocatable(c, pods.values()), List.of("busybox"), List.copyOf(new TreeSet<>(pods.keySet())),
                    sequence, startedAt, labels.get(node), List.of());
        }

        @Override
        public Future<?> stop() {
            vertx.cancelTimer(timer);
            return out.close();
        }
    }

    /** The node dies: it stops heartbeating and answering (its pods keep "running" in the snapshot). */
    public void silence(String node) { silenced.add(node); }

    /** What the hollow nodes run now, pod → node (safe to call from any thread; copies, for tests). */
    public Map<String, String> runningPods() {
        Map<String, String> podToNode = new HashMap<>();
        running.forEach((node, pods) -> pods.keySet().forEach(pod -> podToNode.put(pod, node)));
        return podToNode;
    }

    /** Pods that more than one hollow node runs: must always be empty (safe to call from any thread). */
    public List<String> doubled() {
        Map<String, Integer> nodesOfPod = new HashMap<>();
        running.values().forEach(pods -> pods.keySet().forEach(pod -> nodesOfPod.merge(pod, 1, Integer::sum)));
        List<String> twice = new ArrayList<>();
        nodesOfPod.forEach((pod, nodes) -> {
            if (nodes > 1) twice.add(pod);
        });
        return twice;
    }

    @Override
    public Future<?> stop() {
        if (placements != null) placements.close();
        Future<?> silent = heartbeats == null ? Future.succeededFuture() : vertx.undeploy(heartbeats);
        return silent.transform(ignored -> publisher.close());
    }
}
