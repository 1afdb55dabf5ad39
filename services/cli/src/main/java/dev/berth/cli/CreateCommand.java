package dev.berth.cli;

import dev.berth.bus.contract.ApplyNamespace;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a namespace: berth create namespace NAME (like kubectl create namespace)")
final class CreateCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "namespace", description = "what to create: namespace (ns)")
    String kind;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        if (!kind.equals("namespace") && !kind.equals("ns")) {
            System.err.println("error: berth create makes namespaces: berth create namespace NAME; use berth apply -f for deployments");
            return 2;
        }
        return CommandOutput.print(new CommandClient(cluster.bus()).send(new ApplyNamespace(name), Duration.ofSeconds(30)));
    }
}
