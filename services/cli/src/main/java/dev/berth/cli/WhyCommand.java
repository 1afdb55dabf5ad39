package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.Topic;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "why", aliases = "history", description = "Why is this pod here: its whole causal chain from the log, oldest first.")
final class WhyCommand implements java.util.concurrent.Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", paramLabel = "pod/NAME")
    String target;

    @Mixin HistoryOptions history;

    @Option(names = "--timing", description = "print how long the answer took", hidden = true)
    boolean timing;

    @Override
    public Integer call() {
        String pod = target.startsWith("pod/") ? target.substring(4) : target.startsWith("pods/") ? target.substring(5) : target;
        long t0 = System.nanoTime();
        // From a file, read it all; from the broker, read only the partitions the pod's keys lead to.
        List<Envelope> log = history.fromFile()
                ? history.source(cluster).entries(EventsCommand.HISTORY.stream().filter(t -> t != Topic.NODE_HEARTBEATS).toList())
                        .stream().map(LogSource.Entry::envelope).toList()
                : new TargetedHistory(cluster.bus()).gather(pod);
        PodHistory.Chain chain = PodHistory.of(pod, log);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (chain.events().isEmpty()) {
            System.err.println("error: no event about pod/" + pod + " in the log");
            return 1;
        }
        String elsewhere = PodNamespace.mismatch(pod, chain.events(), namespaces);
        if (elsewhere != null) {
            System.err.println("error: " + elsewhere);
            return 1;
        }
        System.out.println("pod/" + pod + ":");
        for (Envelope e : chain.events()) {
            String by = e.data() instanceof dev.berth.bus.contract.Command ? "   (by " + e.source() + ")" : "";
            System.out.println("  " + EventText.line(e) + by);
        }
        chain.predecessor().ifPresent(r -> System.out.println("replaces pod/" + r + ", lost with its node (berth why pod/" + r + ")"));
        chain.replacement().ifPresent(r -> System.out.println("replaced by pod/" + r + " (berth why pod/" + r + ")"));
        if (timing) System.err.println("answered in " + millis + " ms from " + log.size() + " events read");
        return 0;
    }
}
