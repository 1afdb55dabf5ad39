package dev.berth.autoscaler;

import dev.berth.autoscaler.core.AutoscalerCore;
import dev.berth.autoscaler.core.AutoscalerState;
import dev.berth.autoscaler.core.Fold;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.RawRecord;
import dev.berth.bus.RecordLimits;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.*;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What one metrics record costs the autoscaler at the benchmark's scale (100,000 pods on 5,000 nodes, 100
 * Deployments, 20 autoscaled): decode and validate, fold, and the evaluation after a batch. Prints; asserts nothing.
 * {@code ./mvnw -q -o -pl services/autoscaler test -Dtest=AutoscalerFoldBenchmark -Dberth.bench=true}
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class AutoscalerFoldBenchmark {
    @Test
    void perRecordCost() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T12:00:00Z");
        PodTemplate template = new PodTemplate("busybox", List.of("sh"), List.of(), Map.of(),
                new ResourceRequirements(ResourceList.of(10, 16L << 20), null), "Always", 1);
        AutoscalerState s = AutoscalerState.EMPTY;
        for (int d = 0; d < 100; d++) {
            String name = "app-" + d;
            s = Fold.apply(s, Envelope.spontaneous(new DeploymentApplied(new DeploymentSpec(name, 1000, template), 1), "t", t0));
            if (d < 20) {
                s = Fold.apply(s, Envelope.spontaneous(new HorizontalPodAutoscalerApplied(new HorizontalPodAutoscalerSpec("default", name,
                        ScaleTargetRef.deployment(name), 1, 2000, List.of(MetricSpec.cpuUtilization(50)), null).withDefaults()), "t", t0));
            }
            for (int i = 0; i < 1000; i++) {
                String pod = name + "-" + i;
                s = Fold.apply(s, Envelope.spontaneous(new PodCreated(pod, name, 1, template), "t", t0));
                s = Fold.apply(s, Envelope.spontaneous(new PodStatusChanged(pod, "node-" + (i * 100 + d) % 5000, ContainerState.Running, null, null, null, 0)
                        .withReady(true), "t", t0));
            }
        }
        // One record per node: its 20 pods.
        List<RawRecord> records = new ArrayList<>();
        for (int n = 0; n < 5000; n++) {
            List<PodMetrics> pods = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                int global = n * 20 + k;
                String name = "app-" + (global % 100);
                pods.add(new PodMetrics("default", name + "-" + (global / 100), name, List.of(new ContainerMetrics("app", 5, 8L << 20))));
            }
            NodeMetrics m = new NodeMetrics("node-" + n, t0.plusSeconds(600), 5000, 100, 160L << 20, pods);
            records.add(new RawRecord(Topic.RESOURCE_METRICS.topicName(), n % 3, n, t0.toEpochMilli(), "node-" + n,
                    Json.encode(Envelope.spontaneous(m, "node-" + n, t0.plusSeconds(600)))));
        }
        AutoscalerCore core = new AutoscalerCore(AutoscalerCore.Settings.defaults());
        for (int round = 0; round < 5; round++) {
            AutoscalerState x = s.withDirty(org.pcollections.HashTreePSet.empty());
            List<Envelope> envs = new ArrayList<>();
            long a = System.nanoTime();
            for (RawRecord r : records) envs.add(ServiceLoop.admit(r, Set.of(), RecordLimits.defaults()));
            long b = System.nanoTime();
            for (Envelope e : envs) x = Fold.apply(x, e);
            long c = System.nanoTime();
            var d = core.evaluate(x.withDirty(org.pcollections.HashTreePSet.empty()), new TreeSet<>(x.dirty()), t0.plusSeconds(601));
            long e = System.nanoTime();
            System.out.printf("round %d: decode+validate %.1f µs/record, fold %.1f µs/record, evaluate %d autoscalers %.1f ms (%d outputs)%n",
                    round, (b - a) / 1e3 / records.size(), (c - b) / 1e3 / records.size(), x.dirty().size(), (e - c) / 1e6, d.outputs().size());
        }
    }
}
