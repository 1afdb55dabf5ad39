package dev.berth.node.hollow;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.Publisher;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.node.PlacementInput;
import dev.berth.node.PodAnnotations;
import dev.berth.node.StatusCauses;
import dev.berth.node.core.Adoption;
import dev.berth.node.core.ContainerExit;
import dev.berth.node.core.FoundContainer;
import dev.berth.node.core.NodeAction;
import dev.berth.node.core.NodeCore;
import dev.berth.node.core.NodeDecision;
import dev.berth.node.core.NodeState;
import dev.berth.node.core.PodRuntime;
import dev.berth.node.core.RestartBackoff;
import dev.berth.node.core.Restarts;
import dev.berth.node.runtime.InMemoryRuntime;
import dev.berth.node.runtime.RunningContainer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated ("hollow") nodes for benchmarks and scale and chaos tests, many in one verticle, as
 * Kubemark runs real kubelets on fake runtimes: each node runs the node agent's real core
 * ({@link NodeCore}, {@link Restarts}, {@link Adoption}) over its own {@link InMemoryRuntime}, reads
 * placements through the same {@link PlacementInput} door (bad ones set aside), reports pod status
 * with the same causes, re-reports every pod's status in full now and then, and heartbeats with the
 * core's heartbeat. What is shared, so that thousands fit in one JVM: one placement reader, one
 * publisher, one event loop for the nodes and one for their heartbeats, and runtime calls made inline
 * (an in-memory start does not block). Never used by `berth up`.
 */
public final class HollowNodes extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(HollowNodes.class);

    /**
     * How many nodes, named {@code <prefix>1..<prefix>N}, each offering {@code capacity}; with {@code zones}
     * above 0, node i is labelled {@code topology.kubernetes.io/zone=zone-<1 + (i-1) mod zones>}.
     */
    public record Options(String prefix, int count, NodeResources capacity, Duration heartbeatInterval, int zones,
                          Duration resyncInterval, Duration statusReportInterval, RestartBackoff restartBackoff) {
        public Options(String prefix, int count, NodeResources capacity, Duration heartbeatInterval) {
            this(prefix, count, capacity, heartbeatInterval, 0);
        }

        /** The real agent's defaults for resync (5 s), full status reports (1 min) and back-off. */
        public Options(String prefix, int count, NodeResources capacity, Duration heartbeatInterval, int zones) {
            this(prefix, count, capacity, heartbeatInterval, zones, Duration.ofSeconds(5), Duration.ofMinutes(1), RestartBackoff.DEV_DEFAULTS);
        }

        public static Options of(int count) {
            return new Options("hollow-", count, new NodeResources(4000, 16L << 30, 110), Duration.ofSeconds(1));
        }

        public Options withZones(int z) {
            return new Options(prefix, count, capacity, heartbeatInterval, z, resyncInterval, statusReportInterval, restartBackoff);
        }

        /** Zero: never (a benchmark measuring without them). */
        public Options withStatusReportInterval(Duration d) {
            return new Options(prefix, count, capacity, heartbeatInterval, zones, resyncInterval, d, restartBackoff);
        }

        public Options withRestartBackoff(RestartBackoff b) {
            return new Options(prefix, count, capacity, heartbeatInterval, zones, resyncInterval, statusReportInterval, b);
        }

        /** The labels of node number {@code i} (1-based). */
        Map<String, String> labels(int i) {
            return zones <= 0 ? Map.of() : Map.of(ZONE_LABEL, "zone-" + (1 + (i - 1) % zones));
        }
    }

    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    /** Periodic work (heartbeats, status reports) is spread over this many slices of its interval, like separate machines. */
    private static final int SLICES = 10;

    private final BusConfig bus;
    private final Options options;
    private final Instant startedAt = Instant.now();
    private final Map<String, HollowNode> nodes = new TreeMap<>();
    /** Nodes that died: no heartbeats, no answers (tests of node failure). */
    private final Set<String> silenced = ConcurrentHashMap.newKeySet();
    private Context context;
    private Publisher publisher;
    private LogTail placements;
    private String heartbeats;
    private long resyncTimer = -1, reportTimer = -1;
    private int reportSlice;

    public HollowNodes(BusConfig bus, Options options) {
        this.bus = bus;
        this.options = options;
        for (int i = 1; i <= options.count(); i++) {
            String name = options.prefix() + i;
            nodes.put(name, new HollowNode(name, options.labels(i)));
        }
    }

    /**
     * One node: the real core's state over an in-memory runtime. Changed only on this verticle's context;
     * {@link #state} is volatile so heartbeats and tests on other threads read a consistent snapshot.
     */
    private final class HollowNode {
        final String name;
        final Map<String, String> labels;
        final InMemoryRuntime runtime = new InMemoryRuntime();
        final StatusCauses causes = new StatusCauses();
        volatile NodeState state;
        long wakeUpTimer = -1;
        Instant wakeUpAt;

        HollowNode(String name, Map<String, String> labels) {
            this.name = name;
            this.labels = labels;
            this.state = NodeState.empty(name, options.restartBackoff());
        }

        void fold(PlacementInput in) {
            if (in instanceof PlacementInput.Placed p) {
                causes.read(p.envelope());
                state = NodeCore.placed(state, p.placement());
            } else if (in instanceof PlacementInput.Released r) {
                causes.read(r.envelope());
                state = NodeCore.released(state, r.release());
            }
        }

        void reconcile(List<Publisher.Message> out) {
            apply(NodeCore.reconcile(state, Instant.now()), out);
        }

        /** Runs the core's actions on the in-memory runtime at once, feeding what happens back into the core. */
        void apply(NodeDecision d, List<Publisher.Message> out) {
            state = d.state();
            Instant now = Instant.now();
            for (Outbound event : d.events()) {
                PodStatusChanged status = (PodStatusChanged) event.payload();
                Envelope cause = causes.causeOf(status);
                Envelope env = cause == null ? Envelope.spontaneous(status, publisher.source(), now)
                        : Envelope.causedBy(cause, status, publisher.source(), now);
                out.add(new Publisher.Message(event.topic(), event.key(), env));
            }
            for (NodeAction action : d.actions()) {
                if (action instanceof NodeAction.StartContainer start) start(start, out);
                else if (action instanceof NodeAction.StopContainer stop) {
                    runtime.stop(stop.pod(), Duration.ZERO);
                    apply(NodeCore.stopped(state, stop.pod()), out);
                }
            }
            if (!d.actions().isEmpty()) forgetCausesOfGonePods();
        }

        private void start(NodeAction.StartContainer start, List<Publisher.Message> out) {
            RunningContainer c;
            try {
                c = runtime.start(PodAnnotations.spec(start));
            } catch (Exception | Error e) {
                apply(Restarts.startFailed(state, start.pod(), String.valueOf(e.getMessage()), Instant.now()), out);
                scheduleWakeUp();
                return;
            }
            apply(NodeCore.started(state, start.pod(), c.pid(), Instant.now()), out);
            watchExit(start.pod(), start.restarts(), c);
        }

        private void watchExit(String pod, int restarts, RunningContainer c) {
            c.exit().whenComplete((status, err) -> context.runOnContext(v -> {
                if (err != null || silenced.contains(name)) return;
                List<Publisher.Message> out = new ArrayList<>();
                apply(Restarts.exited(state, new ContainerExit(pod, restarts, status.code(), status.oomKilled()), Instant.now()), out);
                reconcile(out);
                scheduleWakeUp();
                send(out);
            }));
        }

        private void forgetCausesOfGonePods() {
            Set<String> known = new HashSet<>(state.desired().keySet());
            known.addAll(state.actual().keySet());
            causes.retainOnly(known);
        }

        /** One timer per node for its earliest back-off, as the real agent sets it. */
        void scheduleWakeUp() {
            Optional<Instant> next = NodeCore.nextWakeUp(state);
            if (next.equals(Optional.ofNullable(wakeUpAt))) return;
            if (wakeUpTimer >= 0) vertx.cancelTimer(wakeUpTimer);
            wakeUpTimer = -1;
            wakeUpAt = next.orElse(null);
            if (wakeUpAt == null) return;
            long millis = Math.max(1, Duration.between(Instant.now(), wakeUpAt).toMillis() + 1);
            wakeUpTimer = vertx.setTimer(millis, id -> {
                wakeUpTimer = -1;
                wakeUpAt = null;
                if (silenced.contains(name)) return;
                List<Publisher.Message> out = new ArrayList<>();
                reconcile(out);
                scheduleWakeUp();
                send(out);
            });
        }

        NodeHeartbeat heartbeat(long sequence) {
            return NodeCore.heartbeat(state, options.capacity(), runtime.images(), sequence, startedAt).withLabelsAndTaints(labels, List.of());
        }
    }

    @Override
    public Future<?> start() {
        context = vertx.getOrCreateContext();
        publisher = Publisher.create(vertx, bus, "hollow-nodes");
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            return LogReader.readAll(bus, List.of(Topic.PLACEMENTS), this::rebuild);
        }).compose(end -> {
            List<Publisher.Message> out = new ArrayList<>();
            for (HollowNode n : nodes.values()) {
                List<FoundContainer> found = n.runtime.containers().stream().map(PodAnnotations::found).toList();
                n.apply(Adoption.adopt(n.state, found, Instant.now()), out);
                n.reconcile(out);
            }
            placements = LogTail.follow(vertx, bus, "hollow-nodes", List.of(Topic.PLACEMENTS),
                    new LogTail.Start.FromOffsets(end), this::onPlacements);
            resyncTimer = vertx.setPeriodic(options.resyncInterval().toMillis(), id -> resync());
            if (!options.statusReportInterval().isZero()) {
                reportTimer = vertx.setPeriodic(Math.max(1, options.statusReportInterval().toMillis() / SLICES), id -> reportSlice());
            }
            return send(out);
        }).compose(v -> vertx.deployVerticle(new Heartbeats())).onSuccess(id -> heartbeats = id);
    }

    /** Start-up: what the log says is placed on each node (the real agent's rebuild); bad records are the live tail's to set aside. */
    private void rebuild(RawRecord r) {
        HollowNode n = r.key() == null ? null : nodes.get(r.key());
        if (n != null && !silenced.contains(n.name)) n.fold(PlacementInput.read(r, n.name));
    }

    private Future<?> onPlacements(List<RawRecord> batch) {
        Set<HollowNode> touched = new LinkedHashSet<>();
        for (RawRecord r : batch) {
            HollowNode n = r.key() == null ? null : nodes.get(r.key());
            if (n == null && r.key() != null && !r.key().isBlank()) continue; // a real node's record
            if (n != null && silenced.contains(n.name)) continue; // a dead node answers nothing
            try {
                PlacementInput in = PlacementInput.read(r, n == null ? null : n.name);
                if (in instanceof PlacementInput.Rejected bad) setAside(r, bad.reason());
                else if (n != null) {
                    n.fold(in);
                    touched.add(n);
                }
            } catch (RuntimeException e) {
                setAside(r, "processing failed: " + e);
            }
        }
        List<Publisher.Message> out = new ArrayList<>();
        for (HollowNode n : touched) n.reconcile(out);
        return send(out);
    }

    private void setAside(RawRecord r, String reason) {
        log.debug("setting aside {}: {}", r.position(), reason);
        publisher.deadLetter(r.topic(), r.partition(), r.offset(), PlacementInput.excerpt(r.value()), reason)
                .onFailure(e -> log.warn("cannot set aside {}: {}", r.position(), e.toString()));
    }

    /** Every node reconciles now and then, as a real agent does on its resync timer. */
    private void resync() {
        List<Publisher.Message> out = new ArrayList<>();
        for (HollowNode n : nodes.values()) if (!silenced.contains(n.name)) n.reconcile(out);
        send(out);
    }

    /** A tenth of the nodes re-report every pod's last status, spontaneous, in full (see {@link NodeCore#statusReport}). */
    private void reportSlice() {
        List<HollowNode> all = List.copyOf(nodes.values());
        int from = all.size() * reportSlice / SLICES, to = all.size() * (reportSlice + 1) / SLICES;
        reportSlice = (reportSlice + 1) % SLICES;
        Instant now = Instant.now();
        List<Publisher.Message> out = new ArrayList<>();
        for (HollowNode n : all.subList(from, to)) {
            if (silenced.contains(n.name)) continue;
            for (Outbound o : NodeCore.statusReport(n.state)) {
                out.add(new Publisher.Message(o.topic(), o.key(), Envelope.spontaneous(o.payload(), publisher.source(), now)));
            }
        }
        send(out).onFailure(e -> log.debug("status report not sent: {}", e.toString()));
    }

    private Future<Void> send(List<Publisher.Message> out) {
        return out.isEmpty() ? Future.succeededFuture() : publisher.sendAll(out);
    }

    /**
     * The nodes' heartbeats, on an event loop of their own and spread evenly over the interval, like
     * separate machines: a burst of placements keeping the nodes busy must not silence them all (a
     * real agent's heartbeat does not wait for another node's work).
     */
    private final class Heartbeats extends VerticleBase {
        private final List<HollowNode> all = List.copyOf(nodes.values());
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
            int from = all.size() * slice / SLICES, to = all.size() * (slice + 1) / SLICES;
            List<Publisher.Message> beats = new ArrayList<>(to - from);
            for (HollowNode node : all.subList(from, to)) {
                if (!silenced.contains(node.name)) {
                    beats.add(new Publisher.Message(Topic.NODE_HEARTBEATS, node.name,
                            Envelope.spontaneous(node.heartbeat(sequence), out.source(), now)));
                }
            }
            out.sendAndForget(beats); // a lost heartbeat is replaced by the next one
            if (++slice == SLICES) {
                slice = 0;
                sequence++;
            }
        }

        @Override
        public Future<?> stop() {
            vertx.cancelTimer(timer);
            return out.close();
        }
    }

    /** The node dies: it stops heartbeating and answering (its pods keep "running" in the snapshot). */
    public void silence(String node) { silenced.add(node); }

    /** A node's runtime, e.g. to make a container exit or fail to start (call from any thread). */
    public InMemoryRuntime runtime(String node) {
        HollowNode n = nodes.get(node);
        if (n == null) throw new IllegalArgumentException("no hollow node " + node);
        return n.runtime;
    }

    /** What the hollow nodes run now, pod → node: containers the cores know as Running (any thread; a copy, for tests). */
    public Map<String, String> runningPods() {
        Map<String, String> podToNode = new HashMap<>();
        for (HollowNode n : nodes.values()) {
            for (PodRuntime r : n.state.actual().values()) if (r.state() == ContainerState.Running) podToNode.put(r.pod(), n.name);
        }
        return podToNode;
    }

    /** Pods that more than one hollow node runs: must always be empty (safe to call from any thread). */
    public List<String> doubled() {
        Map<String, Integer> nodesOfPod = new HashMap<>();
        for (HollowNode n : nodes.values()) {
            for (PodRuntime r : n.state.actual().values()) if (r.state() == ContainerState.Running) nodesOfPod.merge(r.pod(), 1, Integer::sum);
        }
        List<String> twice = new ArrayList<>();
        nodesOfPod.forEach((pod, count) -> {
            if (count > 1) twice.add(pod);
        });
        return twice;
    }

    @Override
    public Future<?> stop() {
        for (long timer : new long[] {resyncTimer, reportTimer}) if (timer >= 0) vertx.cancelTimer(timer);
        for (HollowNode n : nodes.values()) if (n.wakeUpTimer >= 0) vertx.cancelTimer(n.wakeUpTimer);
        if (placements != null) placements.close();
        Future<?> silent = heartbeats == null ? Future.succeededFuture() : vertx.undeploy(heartbeats);
        return silent.transform(ignored -> publisher.close());
    }
}
