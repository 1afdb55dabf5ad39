package dev.berth.cli;

import dev.berth.bus.contract.CordonNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "cordon", description = "Mark a node unschedulable: its pods keep running, new pods go elsewhere. berth cordon NODE")
final class CordonCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "NODE", description = "node name (node/NAME works too)")
    String node;

    @Override
    public Integer call() {
        return CommandOutput.print(new CommandClient(cluster.bus()).send(new CordonNode(ResourceRef.nodeName(node)), Duration.ofSeconds(30)));
    }
}
