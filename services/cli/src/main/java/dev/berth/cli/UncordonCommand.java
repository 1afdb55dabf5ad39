package dev.berth.cli;

import dev.berth.bus.contract.UncordonNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "uncordon", description = "Make a cordoned node schedulable again: berth uncordon NODE")
final class UncordonCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "NODE", description = "node name (node/NAME works too)")
    String node;

    @Override
    public Integer call() {
        String name = ResourceRef.nodeName(node);
        return CommandOutput.print(new CommandClient(cluster.bus()).send(new UncordonNode(name), Duration.ofSeconds(30)));
    }
}
