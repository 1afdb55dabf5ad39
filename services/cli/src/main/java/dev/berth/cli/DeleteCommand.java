package dev.berth.cli;

import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.labels.LabelSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", description = "Delete a deployment and stop its pods: berth delete deployment/NAME, berth delete deployments -l SELECTOR, or berth delete -f FILE|DIR|-")
final class DeleteCommand implements Callable<Integer> {
    private static final Set<String> KINDS = Set.of("deployment", "deployments", "deploy");

    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", arity = "0..1", paramLabel = "deployment/NAME")
    String target;

    @Option(names = {"-f", "--filename"}, description = "delete what these manifests name: a file, a directory, or - (stdin)")
    String location;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "delete every deployment whose labels match (kubectl's syntax, e.g. app=web or 'tier in (web,api)'): berth delete deployments -l app=web")
    String selector;

    @Override
    public Integer call() {
        if (selector != null) return deleteSelected();
        if ((target == null) == (location == null)) {
            System.err.println("error: give either deployment/NAME, deployments -l SELECTOR or -f FILE");
            return 2;
        }
        if (location != null) return ApplyCommand.delete(cluster, location);
        if (KINDS.contains(target)) {
            System.err.println("error: resource(s) were provided, but no name was specified: give deployment/NAME or -l SELECTOR");
            return 2;
        }
        String name = ResourceRef.deploymentName(target);
        return CommandOutput.print(new CommandClient(cluster.bus()).send(new DeleteDeployment(name), Duration.ofSeconds(30)));
    }

    /** kubectl's {@code delete deployments -l}: every deployment the log shows with matching labels, one command each. */
    private int deleteSelected() {
        if (location != null || target == null || !KINDS.contains(target)) {
            System.err.println("error: a selector deletes a kind: berth delete deployments -l SELECTOR");
            return 2;
        }
        LabelSelector labels;
        try {
            labels = LabelSelector.parse(selector);
        } catch (LabelSelector.InvalidSelector e) {
            System.err.println("error: invalid selector \"" + selector + "\": " + e.getMessage());
            return 1;
        }
        List<String> names = selected(GetCommand.load(cluster.bus(), Instant.now()), labels);
        if (names.isEmpty()) {
            System.out.println("No resources found");
            return 0;
        }
        CommandClient client = new CommandClient(cluster.bus());
        int code = 0;
        for (String name : names) code = Math.max(code, CommandOutput.print(client.send(new DeleteDeployment(name), Duration.ofSeconds(30))));
        return code;
    }

    /** The deployments whose own metadata.labels {@code labels} matches, by name. */
    static List<String> selected(ClusterView view, LabelSelector labels) {
        return view.deployments().stream().filter(d -> labels.matches(d.spec.labels())).map(d -> d.spec.name()).toList();
    }
}
