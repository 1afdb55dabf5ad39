package dev.berth.cli;

import dev.berth.bus.contract.DeleteDeployment;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete a deployment and stop its pods: berth delete deployment/NAME, or berth delete -f FILE|DIR|-")
final class DeleteCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", arity = "0..1", paramLabel = "deployment/NAME")
    String target;

    @Option(names = {"-f", "--filename"}, description = "delete what these manifests name: a file, a directory, or - (stdin)")
    String location;

    @Override
    public Integer call() {
        if ((target == null) == (location == null)) {
            System.err.println("error: give either deployment/NAME or -f FILE");
            return 2;
        }
        if (location != null) return ApplyCommand.delete(cluster, location);
        String name = ResourceRef.deploymentName(target);
        return CommandOutput.print(new CommandClient(cluster.bus()).send(new DeleteDeployment(name), Duration.ofSeconds(30)));
    }
}
