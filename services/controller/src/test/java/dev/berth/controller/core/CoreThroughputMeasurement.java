package dev.berth.controller.core;

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
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: measures the pure core the way the shell drives it in the placement benchmark
 * (100 ApplyDeployment of 1,000 replicas, then a PodPlaced and a Running report per pod, with
 * 5,000 heartbeats per simulated second) and prints microseconds per record. Asserts nothing
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

    private ControllerState state = ControllerState.empty();
    private Instant now = Harness.T0;
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
        timed("ApplyDeployment → PodCreated", this::applyDeployments);
        timed("PodPlaced reports", () -> report(this::placed));
        timed("PodStatusChanged Running reports", () -> report(this::running));
        timed("full resync reconcile (once), per pod", () -> {
            state = Reconciler.reconcile(state, now).state();
            return state.pods().size();
        });
        System.out.printf(Locale.ROOT, "%-40s %10d records %10.2f µs/record%n", "NodeHeartbeat (folded in batches)",
                heartbeats, heartbeatNanos / 1000.0 / heartbeats);
    }

    /** Returns the number of PodCreated. */
    private int applyDeployments() {
        for (int first = 0; first < DEPLOYMENTS; first += COMMANDS_PER_BATCH) {
            List<Event> decided = new ArrayList<>();
            for (int d = first; d < Math.min(DEPLOYMENTS, first + COMMANDS_PER_BATCH); d++) {
                ApplyDeployment apply = new ApplyDeployment(Samples.deployment("bench-" + d, REPLICAS));
                Step step = CommandProcessors.process(state, Envelope.command(apply, "bench", now), now);
                state = step.state();
                step.outputs().forEach(o -> decided.add((Event) o.payload()));
            }
            created.addAll(Harness.created(reconcileAfterInput(decided)));
        }
        return created.size();
    }

    /** As the shell does after a unit of input: reconciles what the input touched. */
    private List<Event> reconcileAfterInput(List<Event> input) {
        Step step = Reconciler.reconcile(state, ReconcileScope.of(input), now);
        state = step.state();
        List<Event> events = new ArrayList<>();
        step.outputs().forEach(o -> events.add((Event) o.payload()));
        return events;
    }

    private int report(IntFunction<Event> reportOf) {
        List<Envelope> batch = new ArrayList<>(BATCH);
        List<Event> events = new ArrayList<>(BATCH);
        for (int i = 0; i < created.size(); i++) {
            Event report = reportOf.apply(i);
            batch.add(Envelope.spontaneous(report, "node", now));
            events.add(report);
            if (batch.size() == BATCH || i == created.size() - 1) {
                state = EventAppliers.fold(state, batch);
                reconcileAfterInput(events);
                batch.clear();
                events.clear();
            }
            if ((i + 1) % REPORTS_PER_SECOND == 0) heartbeatRound();
        }
        return created.size();
    }

    private Event placed(int i) {
        PodRecord pod = podAt(i);
        return new PodPlaced(pod.name(), nodeName(i), pod.deployment(), pod.template(), 1, null, null);
    }

    private Event running(int i) {
        return new PodStatusChanged(podAt(i).name(), nodeName(i), ContainerState.Running, null, null, null, 0);
    }

    private PodRecord podAt(int i) { return state.pods().get(created.get(i).pod()); }

    private static String nodeName(int i) { return "node-" + (i % NODES); }

    /** One second passes: every node heartbeats (folded in poll batches), then a node-lifecycle tick. */
    private void heartbeatRound() {
        now = now.plus(Duration.ofSeconds(1));
        NodeResources res = new NodeResources(64_000, 256 * 1024 * Samples.MI, 110);
        List<Envelope> batch = new ArrayList<>(BATCH);
        long start = System.nanoTime();
        for (int n = 0; n < NODES; n++) {
            batch.add(Envelope.spontaneous(new NodeHeartbeat("node-" + n, res, res, List.of("busybox"), List.of(), 1, Harness.T0),
                    "node", now));
            if (batch.size() == BATCH || n == NODES - 1) {
                state = EventAppliers.fold(state, batch);
                batch.clear();
            }
        }
        state = NodeLifecycle.check(state, now, new NodeTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), Harness.T0)).state();
        heartbeatNanos += System.nanoTime() - start;
        heartbeats += NODES;
    }

    /** Runs {@code work} (which returns how many records it handled) and prints its time, heartbeat rounds excluded. */
    private void timed(String what, IntSupplier work) {
        long heartbeatNanosBefore = heartbeatNanos;
        long start = System.nanoTime();
        int records = work.getAsInt();
        long nanos = System.nanoTime() - start - (heartbeatNanos - heartbeatNanosBefore);
        System.out.printf(Locale.ROOT, "%-40s %10d records %10.2f µs/record %8.0f ms%n", what, records,
                nanos / 1000.0 / Math.max(1, records), nanos / 1e6);
    }
}
