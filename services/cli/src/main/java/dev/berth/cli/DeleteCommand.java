package dev.berth.cli;

import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeleteNamespace;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@picocli.CommandLine.Command(name = "delete", description = "Delete a deployment and stop its pods, or a namespace and everything in it:"
        + " berth delete deployment/NAME [-n NS], berth delete namespace/NAME, or berth delete -f FILE|DIR|- [-n NS]")
final class DeleteCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", arity = "0..1", paramLabel = "deployment/NAME")
    String target;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the name, when the first argument is just the kind")
    String name;

    @Option(names = {"-f", "--filename"}, description = "delete what these manifests name: a file, a directory, or - (stdin)")
    String location;

    @Override
    public Integer call() {
        if ((target == null) == (location == null)) {
            System.err.println("error: give either deployment/NAME, namespace/NAME or -f FILE");
            return 2;
        }
        if (location != null) return ApplyCommand.delete(cluster, location, namespaces.namespace);
        return CommandOutput.print(new CommandClient(cluster.bus()).send(command(target, name, namespaces), Duration.ofSeconds(30)));
    }

    /** What {@code berth delete KIND/NAME} (or {@code KIND NAME}) asks for; a bare NAME is a deployment, in -n. */
    static Command command(String target, String name, NamespaceOptions namespaces) {
        String ref = name == null ? target : target + "/" + name;
        String namespace = ResourceRef.namespaceName(ref);
        if (namespace != null) return new DeleteNamespace(namespace);
        return new DeleteDeployment(ResourceRef.deploymentName(ref), namespaces.namespace());
    }
}
