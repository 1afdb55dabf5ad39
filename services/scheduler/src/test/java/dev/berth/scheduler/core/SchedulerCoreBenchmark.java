package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;

import dev.berth.bus.contract.NodeCondition;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The pure scheduling core alone, no Kafka, no JSON: 100,000 pods onto 5,000 nodes in cycles of
 * 2,000, as the shell feeds it. Prints µs per pod for each policy; no assertion on time. Not part of
 * the test run: {@code ./mvnw -q -pl services/scheduler -am test -Dtest=SchedulerCoreBenchmark
 * -Dberth.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class SchedulerCoreBenchmark {
    private static final int NODES = Integer.getInteger("berth.bench.nodes", 5_000);
    private static final int PODS = Integer.getInteger("berth.bench.pods", 100_000);

    @Test
    void placesPodsOnThousandsOfNodes() {
        for (int round = 1; round <= 3; round++) {
            for (SchedulingPolicy policy : SchedulingPolicy.values()) run(policy, round);
        }
    }

    private static void run(SchedulingPolicy policy, int round) {
        Processors core = Processors.standard(new SchedulerState(), policy, STALENESS);
        for (int i = 0; i < NODES; i++) {
            String node = String.format("node-%05d", i);
            core.apply(heartbeat(node, 4000, 16 * 1024, 110), T0, T0);
            core.apply(new NodeStatusChanged(node, NodeCondition.Ready, false, null, T0), T0, T0);
        }
        core.cycle(T0);
        long placed = 0, start = System.nanoTime();
        for (int i = 0; i < PODS; i++) {
            core.apply(new PodCreated(String.format("web-%03d-%06d", i / 1000, i), "web-" + i / 1000, 1, template(10, 16, "Always")), T0, T0);
            if ((i + 1) % Processors.DEFAULT_CYCLE_LIMIT == 0) placed += core.cycle(T0).size();
        }
        while (core.hasMoreToTry(T0)) placed += core.cycle(T0).size();
        double micros = (System.nanoTime() - start) / 1e3;
        System.out.printf(Locale.ROOT, "round %d %-7s %,d pods on %,d nodes: %.1f µs per pod, %,.0f pods/s (%,d placed)%n",
                round, policy, PODS, NODES, micros / PODS, PODS / (micros / 1e6), placed);
    }
}
