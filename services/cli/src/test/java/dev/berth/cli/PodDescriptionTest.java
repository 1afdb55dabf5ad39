package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodUnschedulable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodDescriptionTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    final List<Envelope> log = new ArrayList<>();

    void at(int second, String source, Payload p) { log.add(Envelope.spontaneous(p, source, T0.plusSeconds(second))); }

    String describe(String pod) { return PodDescription.describe(pod, log, T0.plusSeconds(120)); }

    void crashLoopingPod() {
        at(0, "controller", new PodCreated("web-7d4kq", "web", 1, Samples.template().withLabels(Map.of("app", "web", "tier", "frontend"))));
        at(0, "scheduler", new PodUnschedulable("web-7d4kq", "web", "0/3 nodes available: 3 node not ready.", 3, Map.of("node not ready", 3)));
        at(5, "scheduler", new PodPlaced("web-7d4kq", "node-2", "web", Samples.template(), 3, Map.of("node cordoned", 1),
                List.of(new PodPlaced.NodeScore("node-2", 87.5, Map.of("LeastAllocated", 87.5)),
                        new PodPlaced.NodeScore("node-3", 80, Map.of("LeastAllocated", 80.0)))));
        at(6, "node-agent/node-2", new PodStatusChanged("web-7d4kq", "node-2", ContainerState.Running, null, "Started", "pid 42", 0));
        at(9, "node-agent/node-2", new PodStatusChanged("web-7d4kq", "node-2", ContainerState.Exited, 1, "Error", "exited with code 1", 0));
        at(9, "node-agent/node-2", new PodStatusChanged("web-7d4kq", "node-2", ContainerState.Waiting, 1, "CrashLoopBackOff",
                "back-off 1s restarting failed container", 1));
        at(10, "node-agent/node-2", new PodStatusChanged("web-7d4kq", "node-2", ContainerState.Running, null, "Started", "pid 43", 1));
        at(11, "controller", new PodCreated("web-other", "web", 1, Samples.template()));
    }

    @Test
    void showsSpecNodeStatusRestartsLastExitAndTheSchedulersReasons() {
        crashLoopingPod();

        String d = describe("web-7d4kq");

        assertThat(d).contains("Name:             web-7d4kq\n")
                .contains("Deployment:       web (generation 1)\n")
                .contains("Labels:           app=web,tier=frontend\n")
                .contains("Node:             node-2\n")
                .contains("Created:          2026-11-27T10:00:00Z (2m ago)\n")
                .contains("Status:           Running\n")
                .contains("  Image:          busybox\n")
                .contains("  Command:        sh -c\n")
                .contains("  Args:           sleep 3600\n")
                .contains("  Environment:    GREETING=hello\n")
                .contains("  Limits:         cpu: 250m, memory: 64Mi\n")
                .contains("  Restart Policy: Always\n")
                .contains("  State:          Running (Started): pid 43\n")
                .contains("  Restart Count:  1\n")
                .contains("  Last Exit Code: 1 (Error)\n")
                .contains("Scheduling:       placed on node-2, best of 3 node(s); filtered out: 1 node cordoned;"
                        + " scores: node-2 87.5 (LeastAllocated 87.5), node-3 80 (LeastAllocated 80)\n")
                .doesNotContain("web-other");
    }

    @Test
    void listsThePodsEventsInTimeOrderLikeKubectl() {
        crashLoopingPod();

        List<String> events = describe("web-7d4kq").lines().dropWhile(l -> !l.equals("Events:")).skip(1).toList();

        assertThat(events.get(0)).matches("\\s+AGE\\s+TYPE\\s+REASON\\s+FROM\\s+MESSAGE");
        assertThat(events.subList(1, events.size())).hasSize(7).satisfiesExactly(
                l -> assertThat(l).contains("Normal").contains("Created").contains("controller"),
                l -> assertThat(l).contains("Warning").contains("FailedScheduling").contains("0/3 nodes available: 3 node not ready."),
                l -> assertThat(l).contains("Normal").contains("Scheduled").contains("placed on node-2 (3 nodes considered)"),
                l -> assertThat(l).contains("Normal").contains("Started").contains("node-agent/node-2"),
                l -> assertThat(l).contains("Warning").contains("Error").contains("Exited, exit code 1: exited with code 1"),
                l -> assertThat(l).contains("Warning").contains("CrashLoopBackOff"),
                l -> assertThat(l).contains("Normal").contains("Started").contains("Running: pid 43"));
    }

    @Test
    void showsOnlyTheMostRecentEvents() {
        at(0, "controller", new PodCreated("web-a", "web", 1, Samples.template()));
        for (int i = 1; i <= 30; i++) {
            at(i, "node-agent/node-1", new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "pid " + i, i));
        }

        String d = describe("web-a");

        assertThat(d).contains("(11 earlier events not shown)").contains("pid 30").doesNotContain("pid 10\n");
    }

    @Test
    void aLostPodSaysWhyAndThatItWasReleased() {
        at(0, "controller", new PodCreated("web-a", "web", 1, Samples.template()));
        at(1, "scheduler", new PodPlaced("web-a", "node-3", "web", Samples.template(), 3, Map.of(), List.of()));
        at(2, "node-agent/node-3", new PodStatusChanged("web-a", "node-3", ContainerState.Running, null, "Started", "", 0));
        at(10, "controller", new PodLost("web-a", "web", "node-3", "node node-3 NotReady for longer than the eviction delay (2 s)"));
        at(10, "scheduler", new PodReleased("web-a", "node-3", "node lost"));

        String d = describe("web-a");

        assertThat(d).contains("Status:           Lost\n")
                .contains("Lost:             node node-3 NotReady for longer than the eviction delay (2 s)\n")
                .contains("NodeLost").contains("released from node-3: node lost");
    }

    @Test
    void aProbedPodShowsItsReadinessProbeAndWhetherItIsReady() {
        var probe = new dev.berth.bus.contract.Probe(new dev.berth.bus.contract.Probe.HttpGet("/healthz", 0, "http", null, null), null, null,
                2, 5, 0, 0, 0);
        at(0, "controller", new PodCreated("web-a", "web", 1, Samples.template().withReadinessProbe(probe)));
        at(2, "node-agent/node-1", new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 0, null, "10.244.0.5", false));

        assertThat(describe("web-a")).contains("  Readiness:      http-get http://:http/healthz delay=2s timeout=1s period=5s #success=1 #failure=3\n")
                .contains("  Ready:          False\n");
        at(3, "node-agent/node-1", new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 0, null, "10.244.0.5", true));
        assertThat(describe("web-a")).contains("  Ready:          True\n");
    }

    @Test
    void aPendingPodSaysWhyItIsNotScheduled() {
        at(0, "controller", new PodCreated("web-a", "web", 1, Samples.template()));
        at(1, "scheduler", new PodUnschedulable("web-a", "web", "0/1 nodes available: 1 node cordoned.", 1, Map.of()));

        String d = describe("web-a");

        assertThat(d).contains("Node:             <none>\n").contains("Status:           Pending\n")
                .contains("Scheduling:       unschedulable: 0/1 nodes available: 1 node cordoned.\n")
                .contains("  State:          Waiting to be scheduled and started\n");
    }

    @Test
    void anUnknownPodHasNoDescription() {
        crashLoopingPod();
        assertThat(describe("nope")).isNull();
    }
}
