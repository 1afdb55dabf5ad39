package dev.berth.cli;

import dev.berth.bus.BusConfig;
import dev.berth.bus.contract.DrainNode;
import dev.berth.bus.contract.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kubectl drain} for Berth: the controller cordons the node and deletes its pods; their
 * deployments replace them elsewhere. The command waits, reading the log, until no pod is left on
 * the node and every affected deployment runs all its replicas again.
 */
@Command(name = "drain", description = "Cordon a node and move its pods to other nodes; waits until they run there. berth drain NODE")
final class DrainCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "NODE", description = "node name (node/NAME works too)")
    String node;

    @Option(names = "--timeout", description = "how long to wait for the pods to move, e.g. 90s or 5m (default ${DEFAULT-VALUE})",
            defaultValue = "2m")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
        String name = ResourceRef.nodeName(node);
        Duration limit = duration(timeout);
        BusConfig bus = cluster.bus();
        Set<String> deployments = new TreeSet<>(deploymentsOn(GetCommand.load(bus, Instant.now()), name));
        Event answer = new CommandClient(bus).send(new DrainNode(name), Duration.ofSeconds(30));
        int code = CommandOutput.print(answer);
        if (code != 0) return code;

        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            ClusterView view = GetCommand.load(bus, Instant.now());
            deployments.addAll(deploymentsOn(view, name));
            Progress progress = Progress.of(view, name, deployments);
            if (progress.done()) {
                System.out.println("node/" + name + " drained");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("error: node/" + name + " not drained after " + timeout + ": " + progress);
                return 1;
            }
            Thread.sleep(500);
        }
    }

    private static List<String> deploymentsOn(ClusterView view, String node) {
        return view.podsOn(node).stream().map(ClusterView.PodRow::deploymentKey).toList(); // namespace/name, the bare name in default
    }

    /**
     * How far a drain is, from the log.
     *
     * @param left     pods still bound to the node (Terminating ones included)
     * @param shortOf  affected deployments (by key: namespace/name, the bare name in default) not yet running all their replicas, as "web 2/3 running"
     */
    record Progress(List<String> left, List<String> shortOf) {
        static Progress of(ClusterView view, String node, Set<String> deployments) {
            List<String> left = view.podsOn(node).stream().map(p -> p.name).toList();
            List<String> shortOf = new ArrayList<>();
            for (String d : deployments) {
                ClusterView.DeploymentRow row = view.deployment(d);
                if (row == null) continue; // deleted meanwhile: nothing to wait for
                long running = view.readyPods(d);
                if (running < row.spec.replicas()) shortOf.add(d + " " + running + "/" + row.spec.replicas() + " running");
            }
            return new Progress(left, shortOf);
        }

        boolean done() { return left.isEmpty() && shortOf.isEmpty(); }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            if (!left.isEmpty()) parts.add(left.size() + " pod(s) still on the node: " + String.join(", ", left));
            if (!shortOf.isEmpty()) parts.add("waiting for " + String.join(", ", shortOf));
            return String.join("; ", parts);
        }
    }

    /** "90s", "5m", "1h" or plain seconds. */
    static Duration duration(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            if (t.endsWith("s")) return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            if (t.endsWith("m")) return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            if (t.endsWith("h")) return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1)));
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--timeout: expected a duration like 90s or 5m, got '" + text + "'");
        }
    }
}
