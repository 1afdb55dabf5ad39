package dev.berth.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth set image deployment/NAME CONTAINER=IMAGE}: a new template revision, kubectl's verb. */
@Command(name = "set", description = "Change part of a deployment: berth set image deployment/NAME CONTAINER=IMAGE [-n NS].",
        subcommands = {SetCommand.Image.class})
final class SetCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("error: what to set? berth set image deployment/NAME CONTAINER=IMAGE");
        return 1;
    }

    @Command(name = "image", description = "Set a deployment's image. Berth runs one container per pod, named after its deployment"
            + " (as `get -o yaml` shows): CONTAINER is the deployment's name, or * for every container.")
    static final class Image implements Callable<Integer> {
        @picocli.CommandLine.Mixin ClusterOptions cluster;
        @picocli.CommandLine.Mixin NamespaceOptions namespaces;

        @Parameters(index = "0", paramLabel = "deployment/NAME")
        String target;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "CONTAINER=IMAGE")
        List<String> images;

        @Override
        public Integer call() {
            ClusterView.DeploymentRow d = RolloutCommand.find(RolloutCommand.load(cluster), target, namespaces.namespace());
            if (d == null) return 1;
            try {
                return RolloutCommand.apply(cluster, Rollouts.setImage(d.spec, images), Rollouts.ref(d.spec.name()) + " image updated");
            } catch (Rollouts.Refused e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
        }
    }
}
