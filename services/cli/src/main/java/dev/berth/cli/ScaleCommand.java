package dev.berth.cli;

import dev.berth.bus.contract.ScaleDeployment;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scale", description = "Set a deployment's replica count: berth scale deployment/NAME --replicas N [-n NS]")
final class ScaleCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", paramLabel = "deployment/NAME")
    String target;

    @Option(names = "--replicas", required = true)
    int replicas;

    @Override
    public Integer call() {
        String name = ResourceRef.deploymentName(target);
        int code = CommandOutput.print(new CommandClient(cluster.bus()).send(new ScaleDeployment(name, replicas, namespaces.namespace()), Duration.ofSeconds(30)));
        // Kubernetes scales anyway, and its autoscaler scales back: say so.
        String warning = code == 0 ? AutoscaleCommand.overrideWarning(GetCommand.load(cluster.bus(), java.time.Instant.now()), namespaces.namespace(), name) : null;
        if (warning != null) System.err.println(warning);
        return code;
    }
}
