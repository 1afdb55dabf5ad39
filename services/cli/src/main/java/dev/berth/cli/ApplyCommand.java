package dev.berth.cli;

import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", description = "Apply a Kubernetes apps/v1 Deployment manifest.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Option(names = {"-f", "--filename"}, required = true, description = "manifest file (YAML or JSON)")
    Path file;

    @Override
    public Integer call() throws Exception {
        return apply(cluster, file);
    }

    static int apply(ClusterOptions cluster, Path file) throws Exception {
        DeploymentManifest.Parsed parsed;
        try {
            parsed = DeploymentManifest.parse(Files.readString(file));
        } catch (DeploymentManifest.InvalidManifest e) {
            System.err.println("error: " + file + ": " + e.getMessage());
            return 1;
        }
        for (String ignored : parsed.ignored()) System.err.println("warning: " + ignored);
        Event answer = new CommandClient(cluster.bus()).send(new ApplyDeployment(parsed.deployment()), Duration.ofSeconds(30));
        return CommandOutput.print(answer);
    }
}
