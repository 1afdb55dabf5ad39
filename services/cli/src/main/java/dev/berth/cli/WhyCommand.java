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

    @Parameters(index = "0", paramLabel = "pod/NAME")
    String target;

    @Option(names = "--from-file", description = "read a file written by `berth log export` instead of the cluster")
    Path fromFile;

    @Override
    public Integer call() {
        String pod = target.startsWith("pod/") ? target.substring(4) : target.startsWith("pods/") ? target.substring(5) : target;
        LogSource source = fromFile != null ? LogSource.file(fromFile) : LogSource.broker(cluster.bus());
        List<Envelope> log = source.entries(EventsCommand.HISTORY.stream().filter(t -> t != Topic.NODE_HEARTBEATS).toList())
                .stream().map(LogSource.Entry::envelope).toList();
        PodHistory.Chain chain = PodHistory.of(pod, log);
        if (chain.events().isEmpty()) {
            System.err.println("error: no event about pod/" + pod + " in the log");
            return 1;
        }
        System.out.println("pod/" + pod + ":");
        for (Envelope e : chain.events()) {
            String by = e.data() instanceof dev.berth.bus.contract.Command ? "   (by " + e.source() + ")" : "";
            System.out.println("  " + EventText.line(e) + by);
        }
        chain.replacement().ifPresent(r -> System.out.println("replaced by pod/" + r + " (berth why pod/" + r + ")"));
        return 0;
    }
}
