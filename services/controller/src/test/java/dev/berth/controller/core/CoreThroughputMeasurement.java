package dev.berth.controller.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: measures the pure core the way the shell drives it in the placement benchmark
 * (100 ApplyDeployment of 1,000 replicas, then a PodPlaced and a Running report per pod, with
 * 5,000 heartbeats per simulated second) and prints microseconds per record. Inputs are built
 * before the clock starts; only folding, deciding and reconciling are timed. Asserts nothing
 * (timings on a shared machine are noise for a test). Run with:
 * <pre>./mvnw -B -q -pl services/controller -am verify -Dtest=CoreThroughputMeasurement -Dberth.measure=true
 *     -Dsurefire.failIfNoSpecifiedTests=false</pre>
 * Sizes: -Dberth.measure.deployments=100 -Dberth.measure.replicas=1000 -Dberth.measure.nodes=5000;
 * -Dberth.measure.rounds=3 runs the whole scenario that many times from an empty state.
 */
@EnabledIfSystemProperty(named = "berth.measure", matches = "true")
class CoreThroughputMeasurement {

    private static final int DEPLOYMENTS = Integer.getInteger("berth.measure.deployments", 100);
    private static final int REPLICAS = Integer.getInteger("berth.measure.replicas", 1000);
    private static final int NODES = Integer.getInteger("berth.measure.nodes", 5000);
    /** Records per poll batch of pod reports and heartbeats (the consumers allow up to 2,000). */
    private static final int BATCH = Integer.getInteger("berth.measure.batch", 500);
    /** Pods per second the benchmark wants: one heartbeat round per this many reports. */
    private static final int REPORTS_PER_SECOND = 10_000;
    private static final int COMMANDS_PER_BATCH = 10;
    private static final NodeTimeouts TIMEOUTS = new NodeTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), Harness.T0);

    private ControllerState state;
    private Instant now;
    private long heartbeatNanos;
    private long heartbeats;
    private final List<PodCreated> created = new ArrayList<>();

    @Test
    void measure() {
        int rounds = Integer.getInteger("berth.measure.rounds", 3); // the first ones warm the JIT up
        for (int round = 1; round <= rounds; round++) {
            System.out.println("-- round " + round);
            state = ControllerState.empty();
            now = Harness.T0;
            heartbeatNanos = 0;
            heartbeats = 0;
            created.clear();
            scenario();
        }
    }

    private void scenario() {
        heartbeatRound();
        long applyNanos = applyDeployments();
        print("ApplyDeployment → PodCreated", created.size(), applyNanos);
        print("PodPlaced reports", created.size(), report(this::placed));
        print("PodStatusChanged Running reports", created.size(), report(this::running));
        long start = System.nanoTime();
        state = Reconciler.reconcile(state, now).state();
        print("full resync reconcile (once), per pod", state.pods().size(), System.nanoTime() - start);
        print("NodeHeartbeat (+ a node check per round)", heartbeats, heartbeatNanos);
    }

    /** Commands in batches, each batch followed by the reconcile of what it decided, as the shell does. */
    private long applyDeployments() {
        List<Envelope> commands = new ArrayList<>();
        for (int d = 0; d < DEPLOYMENTS; d++) {
            commands.add(Envelope.command(new ApplyDeployment(Samples.deployment("bench-" + d, REPLICAS)), "bench", now));
        }
        long start = System.nanoTime();
        for (int first = 0; first < DEPLOYMENTS; first += COMMANDS_PER_BATCH) {
            List<Event> decided = new ArrayList<>();
            for (Envelope command : commands.subList(first, Math.min(DEPLOYMENTS, first + COMMANDS_PER_BATCH))) {
                Decision<ControllerState> step = CommandProcessors.process(state, command, now);
                state = step.state();
                step.outputs().forEach(o -> decided.add((Event) o.payload()));
            }
            // The shell continues a reconcile that stopped at its creation burst.
            for (ReconcileScope scope = ReconcileScope.of(decided); scope != null; ) {
                Decision<ControllerState> step = Reconciler.reconcile(state, scope, now);
                state = step.state();
                step.outputs().forEach(o -> {
                    if (o.payload() instanceof PodCreated c) created.add(c);
                });
                scope = Reconciler.unfinished(step, scope);
            }
        }
        return System.nanoTime() - start;
    }

    /** Folds one report per pod in poll batches, each followed by its reconcile; only that is timed. */
    private long report(IntFunction<Event> reportOf) {
        List<Event> reports = new ArrayList<>(created.size());
        List<Envelope> envelopes = new ArrayList<>(created.size());
        for (int i = 0; i < created.size(); i++) {
            reports.add(reportOf.apply(i));
            envelopes.add(Envelope.spontaneous(reports.get(i), "node", now));
        }
        long nanos = 0;
        for (int from = 0; from < reports.size(); from += BATCH) {
            int to = Math.min(reports.size(), from + BATCH);
            long start = System.nanoTime();
            state = EventAppliers.fold(state, envelopes.subList(from, to));
            state = Reconciler.reconcile(state, ReconcileScope.of(reports.subList(from, to)), now).state();
            nanos += System.nanoTime() - start;
            if (to / REPORTS_PER_SECOND != from / REPORTS_PER_SECOND) heartbeatRound();
        }
        return nanos;
    }

    private Event placed(int i) {
        PodCreated pod = created.get(i);
        return new PodPlaced(pod.pod(), nodeName(i), pod.deployment(), pod.template(), 1, null, null);
    }

    private Event running(int i) {
        return new PodStatusChanged(created.get(i).pod(), nodeName(i), ContainerState.Running, null, null, null, 0);
    }

    private static String nodeName(int i) { return "node-" + (i % NODES); }

    /** One second passes: every node heartbeats (folded in poll batches), then a node-lifecycle tick. */
    private void heartbeatRound() {
        now = now.plus(Duration.ofSeconds(1));
        NodeResources res = new NodeResources(64_000, 256 * 1024 * Samples.MI, 110);
        List<Envelope> heartbeatEnvelopes = new ArrayList<>(NODES);
        for (int n = 0; n < NODES; n++) {
            heartbeatEnvelopes.add(Envelope.spontaneous(
                    new NodeHeartbeat("node-" + n, res, res, List.of("busybox"), List.of(), 1, Harness.T0), "node", now));
        }
        long start = System.nanoTime();
        for (int from = 0; from < NODES; from += BATCH) {
            state = EventAppliers.fold(state, heartbeatEnvelopes.subList(from, Math.min(NODES, from + BATCH)));
        }
        state = NodeLifecycle.check(state, now, TIMEOUTS).state();
        heartbeatNanos += System.nanoTime() - start;
        heartbeats += NODES;
    }

    private static void print(String what, long records, long nanos) {
        System.out.printf(Locale.ROOT, "%-42s %8d records %8.2f µs/record %7.0f ms%n", what, records,
                nanos / 1000.0 / Math.max(1, records), nanos / 1e6);
    }
}
