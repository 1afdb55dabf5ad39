package dev.berth.cli;

import dev.berth.bus.contract.DeleteDeployment;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete a deployment and stop its pods: berth delete deployment/NAME")
final class DeleteCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "deployment/NAME")
    String target;

    @Override
    public Integer call() {
        String name = ResourceRef.deploymentName(target);
        return CommandOutput.print(new CommandClient(cluster.bus()).send(new DeleteDeployment(name), Duration.ofSeconds(30)));
    }
}
