package dev.berth.node.hollow;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.LogTail;
import dev.berth.bus.Outbound;
import dev.berth.bus.Publisher;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.PodMetrics;
import dev.berth.node.metrics.ResourceMetrics;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.labels.NodeLabels;
import dev.berth.node.PodAnnotations;
import dev.berth.node.core.ContainerExit;
import dev.berth.node.core.FoundContainer;
import dev.berth.node.core.NodeAction;
import dev.berth.node.core.NodeAgentCore;
import dev.berth.node.core.NodeCore;
import dev.berth.node.core.NodeState;
import dev.berth.node.core.PodRuntime;
import dev.berth.node.core.Probes;
import dev.berth.node.core.RestartBackoff;
import dev.berth.node.core.Restarts;
import dev.berth.node.image.ImageException;
import dev.berth.node.runtime.InMemoryRuntime;
import dev.berth.node.runtime.RunningContainer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;

/**
 * Simulated ("hollow") nodes for benchmarks and scale and chaos tests, many in one verticle, as
 * Kubemark runs real kubelets on fake runtimes: every node runs the node agent's real decisions
 * ({@link NodeAgentCore}: the node core, restarts, adoption, start slots, causes) over its own
 * {@link InMemoryRuntime}. All of them run on ONE {@link ServiceLoop} whose state is every hollow
 * node's {@link NodeState} (one loop per node would mean one Kafka consumer per node): one reader of
 * berth.placements (records of real nodes skipped by key, undecoded; bad ones set aside by the
 * same door as a real agent's), one publisher for status, heartbeats spread over their interval and
 * sent fire-and-forget on a producer of their own, and runtime calls made inline (an in-memory start
 * does not block), their outcomes coming back as one input per decision. Never used by `berth up`.
 */
public final class HollowNodes extends VerticleBase {

    /**
     * How many nodes, named {@code <prefix>1..<prefix>N}, each offering {@code capacity}; with {@code zones}
     * above 0, node i is labelled {@code topology.kubernetes.io/zone=zone-<1 + (i-1) mod zones>}.
     */
    public record Options(String prefix, int count, NodeResources capacity, Duration heartbeatInterval, int zones,
                          Duration resyncInterval, Duration statusReportInterval, RestartBackoff restartBackoff, Metrics metrics) {
        public Options {
            metrics = metrics == null ? Metrics.NONE : metrics;
        }

        public Options(String prefix, int count, NodeResources capacity, Duration heartbeatInterval, int zones,
                       Duration resyncInterval, Duration statusReportInterval, RestartBackoff restartBackoff) {
            this(prefix, count, capacity, heartbeatInterval, zones, resyncInterval, statusReportInterval, restartBackoff, Metrics.NONE);
        }

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
            return new Options(prefix, count, capacity, heartbeatInterval, z, resyncInterval, statusReportInterval, restartBackoff, metrics);
        }

        /** Zero: never (a benchmark measuring without them). */
        public Options withStatusReportInterval(Duration d) {
            return new Options(prefix, count, capacity, heartbeatInterval, zones, resyncInterval, d, restartBackoff, metrics);
        }

        public Options withRestartBackoff(RestartBackoff b) {
            return new Options(prefix, count, capacity, heartbeatInterval, zones, resyncInterval, statusReportInterval, b, metrics);
        }

        public Options withMetrics(Metrics m) {
            return new Options(prefix, count, capacity, heartbeatInterval, zones, resyncInterval, statusReportInterval, restartBackoff, m);
        }

        /** The labels of node number {@code i} (1-based). */
        Map<String, String> labels(int i) {
            return zones <= 0 ? Map.of() : Map.of(ZONE_LABEL, "zone-" + (1 + (i - 1) % zones));
        }
    }

    /**
     * Synthetic NodeMetrics, every {@code interval} per node (spread over the interval like heartbeats): each
     * Running pod uses {@code cpuMillicores} and {@code memoryBytes}, or what {@link InMemoryRuntime#use} set
     * for it; the node's totals are its pods' sums. Off ({@link #NONE}) unless asked for, so benchmarks that
     * predate metrics measure what they did.
     */
    public record Metrics(Duration interval, long cpuMillicores, long memoryBytes) {
        public static final Metrics NONE = new Metrics(Duration.ZERO, 0, 0);

        public static Metrics every(Duration interval, long cpuMillicores, long memoryBytes) {
            return new Metrics(interval, cpuMillicores, memoryBytes);
        }

        boolean on() { return !interval.isZero(); }
    }

    /** One hollow node's synthetic sample: deterministic, no reading of anything but its state and runtime. */
    static NodeMetrics metrics(NodeState s, Instant at, Metrics m, InMemoryRuntime runtime) {
        List<PodMetrics> pods = new ArrayList<>();
        long cpu = 0, memory = 0;
        for (ResourceMetrics.Target t : ResourceMetrics.targets(s)) {
            if (pods.size() == dev.berth.bus.Limits.METRICS_PODS_MAX_ITEMS) break;
            InMemoryRuntime.Use use = runtime.using(t.pod()).orElse(new InMemoryRuntime.Use(m.cpuMillicores(), m.memoryBytes()));
            pods.add(new PodMetrics(t.info().namespace(), t.pod(), t.info().deployment(),
                    List.of(new ContainerMetrics(t.info().container(), use.cpuMillicores(), use.memoryBytes()))));
            cpu += use.cpuMillicores();
            memory += use.memoryBytes();
        }
        return new NodeMetrics(s.node(), at, m.interval().toMillis(), cpu, memory, pods);
    }

    static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    /** Periodic work (heartbeats, status reports) is spread over this many slices of its interval, like separate machines. */
    private static final int SLICES = 10;

    /**
     * Every hollow node's state, and the nodes that died (no heartbeats, no answers: tests of node
     * failure). Persistent maps: a decision for one node of thousands costs O(log n), not a copy.
     */
    public record HollowState(PMap<String, NodeState> nodes, PSet<String> silenced) {}

    /** One node's input (from the runtime or its back-off timer), or one node's effect. */
    record OnNode(String node, Object item) {}

    /** The outcomes of one decision's runtime calls, taken in order as one input. */
    record Outcomes(List<OnNode> outcomes) {}

    record BeatSlice(int slice, long sequence) {}

    record ReportSlice(int slice) {}

    record Silence(String node) {}

    private final BusConfig bus;
    private final Options options;
    private final Instant startedAt = Instant.now();
    private final List<String> names = new ArrayList<>();
    private final Map<String, Map<String, String>> labels = new HashMap<>();
    private final Map<String, InMemoryRuntime> runtimes = new HashMap<>();
    private final Map<String, Long> wakeUpTimers = new HashMap<>();
    private final Map<String, Long> probeTimers = new HashMap<>();
    private Context context;
    private Publisher heartbeats;
    private ServiceLoop<HollowState> loop;
    private int beatSlice, reportSlice, metricsSlice;
    private long metricsTimer = -1;
    private long beatSequence;

    public HollowNodes(BusConfig bus, Options options) {
        this.bus = bus;
        this.options = options;
        for (int i = 1; i <= options.count(); i++) {
            String name = options.prefix() + i;
            names.add(name);
            labels.put(name, NodeLabels.merged(name, options.labels(i), NodeLabels.hostArch())); // as a real node's heartbeat
            runtimes.put(name, new InMemoryRuntime());
        }
    }

    @Override
    public Future<?> start() {
        context = vertx.getOrCreateContext();
        Publisher publisher = Publisher.create(vertx, bus, "hollow-nodes");
        heartbeats = Publisher.create(vertx, bus, "hollow-nodes-heartbeats");
        HollowCore core = new HollowCore();
        return vertx.executeBlocking(() -> {
            TopicAdmin.ensureTopics(bus);
            Map<String, NodeState> rebuilt = new HashMap<>();
            for (String n : names) rebuilt.put(n, NodeState.empty(n, options.restartBackoff()));
            ServiceLoop.Source door = placements(new LogTail.Start.FromOffsets(Map.of()));
            Map<TopicPartition, Long> end = LogReader.readAll(bus, List.of(Topic.PLACEMENTS), r -> NodeAgentCore.admit(door, r,
                    NodeAgentCore.LIMITS).ifPresent(env -> rebuilt.computeIfPresent(r.key(), (n, s) -> NodeAgentCore.fold(s, env))));
            return Map.entry(new HollowState(HashTreePMap.from(rebuilt), HashTreePSet.empty()), end);
        }).onSuccess(rebuilt -> {
            ServiceLoop.Builder<HollowState> b = ServiceLoop.builder(vertx, bus, "hollow-nodes", core, rebuilt.getKey())
                    .idempotent(publisher)
                    .limits(NodeAgentCore.LIMITS)
                    .source(placements(new LogTail.Start.FromOffsets(rebuilt.getValue())))
                    .every(slice(options.heartbeatInterval()), this::nextBeatSlice)
                    .every(options.resyncInterval(), NodeAgentCore.Resync::new)
                    .effects(this::run);
            if (!options.statusReportInterval().isZero()) {
                b.every(slice(options.statusReportInterval()), () -> new ReportSlice(reportSlice++ % SLICES));
            }
            loop = b.start();
            List<OnNode> adopt = new ArrayList<>();
            for (String n : names) {
                List<FoundContainer> found = runtimes.get(n).containers().stream().map(PodAnnotations::found).toList();
                adopt.add(new OnNode(n, new NodeAgentCore.Adopt(found)));
            }
            loop.submit(new Outcomes(adopt));
            loop.submit(nextBeatSlice()); // the first heartbeats at once
            if (options.metrics().on()) metricsTimer = vertx.setPeriodic(slice(options.metrics().interval()).toMillis(), id -> sendMetrics());
        });
    }

    private static Duration slice(Duration interval) { return Duration.ofMillis(Math.max(1, interval.toMillis() / SLICES)); }

    private Object nextBeatSlice() {
        BeatSlice b = new BeatSlice(beatSlice, beatSequence);
        if (++beatSlice == SLICES) {
            beatSlice = 0;
            beatSequence++;
        }
        return b;
    }

    private ServiceLoop.Source placements(LogTail.Start start) {
        return NodeAgentCore.placements(start, NodeAgentCore.keysOf(runtimes.keySet()));
    }

    /**
     * The decisions of every hollow node, each node's by the same {@link NodeAgentCore} functions a real
     * agent runs; a silenced node takes no input.
     */
    private final class HollowCore implements ServiceLoop.Core<HollowState> {

        /** Collects the decisions of several nodes into one. */
        private final class Step {
            final HollowState from;
            PMap<String, NodeState> nodes;
            final List<Outbound> outputs = new ArrayList<>();
            final List<Object> effects = new ArrayList<>();

            Step(HollowState from) {
                this.from = from;
                this.nodes = from.nodes();
            }

            NodeState node(String name) { return nodes.get(name); }

            boolean live(String name) { return name != null && from.nodes().containsKey(name) && !from.silenced().contains(name); }

            void take(String name, Decision<NodeState> d) {
                if (d.state() != node(name)) nodes = nodes.plus(name, d.state());
                outputs.addAll(d.outputs());
                for (Object e : d.effects()) effects.add(new OnNode(name, e));
            }

            Decision<HollowState> decision() {
                HollowState to = nodes == from.nodes() ? from : new HollowState(nodes, from.silenced());
                return new Decision<>(to, outputs, effects, null);
            }
        }

        @Override
        public Decision<HollowState> onRecord(HollowState s, ServiceLoop.Received in) {
            Step step = new Step(s);
            String node = in.record().key();
            if (step.live(node)) step.take(node, Decision.unchanged(NodeAgentCore.fold(s.nodes().get(node), in.envelope())));
            return step.decision();
        }

        @Override
        public Decision<HollowState> afterBatch(HollowState s, ServiceLoop.BatchEnd batch) {
            Step step = new Step(s);
            Set<String> touched = new LinkedHashSet<>();
            for (ServiceLoop.Received r : batch.received()) touched.add(r.record().key());
            for (String n : touched) if (step.live(n)) step.take(n, NodeAgentCore.reconcile(step.node(n), batch.now()));
            return step.decision();
        }

        @Override
        public Decision<HollowState> onInput(HollowState s, Object input, Instant now) {
            if (input instanceof Silence silence) {
                return Decision.unchanged(new HollowState(s.nodes(), s.silenced().plus(silence.node())));
            }
            Step step = new Step(s);
            if (input instanceof Outcomes o) {
                for (OnNode on : o.outcomes()) react(step, on, now);
            } else if (input instanceof OnNode on) {
                react(step, on, now);
            } else if (input instanceof NodeAgentCore.Resync) {
                for (String n : names) if (step.live(n)) step.take(n, NodeAgentCore.reconcile(step.node(n), now));
            } else if (input instanceof ReportSlice r) {
                for (String n : slice(r.slice())) if (step.live(n)) step.take(n, NodeAgentCore.react(step.node(n), new NodeAgentCore.ReReport(), now));
            } else if (input instanceof BeatSlice b) {
                for (String n : slice(b.slice())) {
                    if (!step.live(n)) continue;
                    NodeHeartbeat hb = NodeCore.heartbeat(step.node(n), options.capacity(), runtimes.get(n).images(), b.sequence(), startedAt)
                            .withLabelsAndTaints(labels.get(n), List.of());
                    step.effects.add(new OnNode(n, new NodeAgentCore.SendHeartbeat(hb)));
                }
            } else {
                throw new IllegalArgumentException("not an input of the hollow nodes: " + input);
            }
            return step.decision();
        }

        private void react(Step step, OnNode on, Instant now) {
            if (step.live(on.node())) step.take(on.node(), NodeAgentCore.react(step.node(on.node()), on.item(), now));
        }

        private List<String> slice(int i) {
            return names.subList(names.size() * i / SLICES, names.size() * (i + 1) / SLICES);
        }
    }

    /** Runs the nodes' effects at once on their in-memory runtimes; what happens comes back as one input. */
    private void run(List<Object> effects) {
        List<OnNode> outcomes = new ArrayList<>();
        List<Publisher.Message> beats = new ArrayList<>();
        Instant now = Instant.now();
        for (Object e : effects) {
            OnNode on = (OnNode) e;
            String node = on.node();
            InMemoryRuntime runtime = runtimes.get(node);
            if (on.item() instanceof NodeAction.StartContainer start) {
                try {
                    RunningContainer c = runtime.start(PodAnnotations.spec(start));
                    outcomes.add(new OnNode(node, new NodeAgentCore.Started(start.pod(), c.pid(), c.imageId())));
                    watchExit(node, start.pod(), start.restarts(), c);
                } catch (Exception | Error failure) {
                    outcomes.add(new OnNode(node, new NodeAgentCore.StartFailed(start.pod(),
                            failure instanceof ImageException ie ? ie.reason() : Restarts.START_ERROR, String.valueOf(failure.getMessage()))));
                }
            } else if (on.item() instanceof NodeAction.StopContainer stop) {
                runtime.stop(stop.pod(), Duration.ZERO);
                outcomes.add(new OnNode(node, new NodeAgentCore.Stopped(stop.pod())));
            } else if (on.item() instanceof NodeAction.KillContainer kill) {
                runtime.kill(kill.pod(), Duration.ZERO); // its exit watcher reports the exit
            } else if (on.item() instanceof NodeAgentCore.SendHeartbeat hb) {
                beats.add(new Publisher.Message(Topic.NODE_HEARTBEATS, node, Envelope.spontaneous(hb.heartbeat(), heartbeats.source(), now)));
            } else if (on.item() instanceof NodeAgentCore.WakeUpAt w) {
                scheduleWakeUp(node, w.at());
            } else if (on.item() instanceof Probes.ProbeAt at) {
                scheduleProbes(node, at.at());
            } else if (on.item() instanceof Probes.RunProbe probe) {
                // a hollow container has no process to probe: it passes, so its pod becomes ready as a real one would
                outcomes.add(new OnNode(node, new NodeAgentCore.ProbeResult(probe.pod(), probe.restarts(), true, null, probe.kind())));
            } // RotateLogs: an in-memory runtime writes no logs
        }
        heartbeats.sendAndForget(beats); // a lost heartbeat is replaced by the next one
        if (!outcomes.isEmpty()) loop.submit(new Outcomes(outcomes));
    }

    /** One slice of the nodes' synthetic metrics, straight from the loop's state (read-only), on the heartbeats' producer. */
    private void sendMetrics() {
        HollowState state = loop.state();
        int from = names.size() * metricsSlice / SLICES, to = names.size() * (metricsSlice + 1) / SLICES;
        metricsSlice = (metricsSlice + 1) % SLICES;
        Instant now = Instant.now();
        List<Publisher.Message> out = new ArrayList<>();
        for (String n : names.subList(from, to)) {
            if (state.silenced().contains(n)) continue;
            NodeMetrics m = metrics(state.nodes().get(n), now, options.metrics(), runtimes.get(n));
            out.add(new Publisher.Message(Topic.RESOURCE_METRICS, n, Envelope.spontaneous(m, heartbeats.source(), now)));
        }
        heartbeats.sendAndForget(out);
    }

    private void watchExit(String node, String pod, int restarts, RunningContainer c) {
        c.exit().whenComplete((status, err) -> context.runOnContext(v -> {
            if (err == null) loop.submit(new OnNode(node, new NodeAgentCore.Exited(new ContainerExit(pod, restarts, status.code(), status.oomKilled()))));
        }));
    }

    /** One timer per node for its earliest back-off, as the real agent sets it. */
    private void scheduleWakeUp(String node, Instant at) {
        Long timer = wakeUpTimers.remove(node);
        if (timer != null) vertx.cancelTimer(timer);
        if (at == null) return;
        long millis = Math.max(1, (Duration.between(Instant.now(), at).toNanos() + 999_999) / 1_000_000);
        wakeUpTimers.put(node, vertx.setTimer(millis, id -> {
            wakeUpTimers.remove(node);
            loop.submit(new OnNode(node, new NodeAgentCore.WakeUp()));
        }));
    }

    private void scheduleProbes(String node, Instant at) {
        Long timer = probeTimers.remove(node);
        if (timer != null) vertx.cancelTimer(timer);
        if (at == null) return;
        long millis = Math.max(1, (Duration.between(Instant.now(), at).toNanos() + 999_999) / 1_000_000);
        probeTimers.put(node, vertx.setTimer(millis, id -> {
            probeTimers.remove(node);
            loop.submit(new OnNode(node, new NodeAgentCore.ProbeDue()));
        }));
    }

    /** The node dies: it stops heartbeating and answering (its pods keep "running" in the snapshot). Any thread. */
    public void silence(String node) {
        context.runOnContext(v -> loop.submit(new Silence(node)));
    }

    /** A node's runtime, e.g. to make a container exit or fail to start (call from any thread). */
    public InMemoryRuntime runtime(String node) {
        InMemoryRuntime r = runtimes.get(node);
        if (r == null) throw new IllegalArgumentException("no hollow node " + node);
        return r;
    }

    /** What the hollow nodes run now, pod → node: containers the cores know as Running (any thread; a copy, for tests). */
    public Map<String, String> runningPods() {
        Map<String, String> podToNode = new HashMap<>();
        for (NodeState n : loop.state().nodes().values()) {
            for (PodRuntime r : n.actual().values()) if (r.state() == ContainerState.Running) podToNode.put(r.pod(), n.node());
        }
        return podToNode;
    }

    /** Pods that more than one hollow node runs: must always be empty (safe to call from any thread). */
    public List<String> doubled() {
        Map<String, Integer> nodesOfPod = new HashMap<>();
        for (NodeState n : loop.state().nodes().values()) {
            for (PodRuntime r : n.actual().values()) if (r.state() == ContainerState.Running) nodesOfPod.merge(r.pod(), 1, Integer::sum);
        }
        List<String> twice = new ArrayList<>();
        nodesOfPod.forEach((pod, count) -> {
            if (count > 1) twice.add(pod);
        });
        return twice;
    }

    @Override
    public Future<?> stop() {
        if (metricsTimer >= 0) vertx.cancelTimer(metricsTimer);
        wakeUpTimers.values().forEach(vertx::cancelTimer);
        wakeUpTimers.clear();
        probeTimers.values().forEach(vertx::cancelTimer);
        probeTimers.clear();
        Future<?> stopped = loop == null ? Future.succeededFuture() : loop.stop();
        return stopped.eventually(() -> heartbeats.close());
    }
}
