package dev.berth.cli;

import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth apply -f}: every object of the given files, directory or standard input gets its own
 * answer; a kind Berth does not know is reported by name and the others still apply. Exit code 1 if
 * any object was not applied.
 */
@picocli.CommandLine.Command(name = "apply", description = "Apply Kubernetes manifests: a file with one or more YAML documents, a directory, or - for stdin.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;

    @Option(names = {"-f", "--filename"}, required = true, description = "manifest file, directory, or - (stdin)")
    String location;

    @Override
    public Integer call() throws Exception {
        return apply(cluster, location);
    }

    static int apply(ClusterOptions cluster, Path file) throws Exception { return apply(cluster, file.toString()); }

    static int apply(ClusterOptions cluster, String location) {
        return each(cluster, location, "apply", parsed -> {
            for (String ignored : parsed.ignored()) System.err.println("warning: " + ignored);
            return new ApplyDeployment(parsed.deployment());
        });
    }

    /** {@code berth delete -f}: deletes every object the manifests name. */
    static int delete(ClusterOptions cluster, String location) {
        return each(cluster, location, "delete", parsed -> new DeleteDeployment(parsed.deployment().name()));
    }

    private static int each(ClusterOptions cluster, String location, String verb,
                            Function<DeploymentManifest.Parsed, Command> command) {
        List<ManifestReader.Item> items;
        try {
            items = ManifestReader.read(location, System.in);
        } catch (ManifestReader.InvalidInput e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        CommandClient client = null;
        int failed = 0;
        for (ManifestReader.Item item : items) {
            if (item.problem() != null) {
                System.err.println("error: " + item.source() + ": " + item.problem());
                failed++;
                continue;
            }
            if (!item.kind().equals("Deployment")) {
                System.err.println("error: " + item.source() + ": " + item.ref() + ": kind " + item.kind() + " (" + item.apiVersion()
                        + ") is not supported by Berth; not " + (verb.equals("apply") ? "applied" : "deleted"));
                failed++;
                continue;
            }
            DeploymentManifest.Parsed parsed;
            try {
                parsed = DeploymentManifest.parse(item.object());
            } catch (DeploymentManifest.InvalidManifest e) {
                System.err.println("error: " + item.source() + ": " + item.ref() + ": " + e.getMessage());
                failed++;
                continue;
            }
            if (client == null) client = new CommandClient(cluster.bus());
            Event answer = client.send(command.apply(parsed), Duration.ofSeconds(30));
            if (CommandOutput.print(answer) != 0) failed++;
        }
        return failed == 0 ? 0 : 1;
    }
}
