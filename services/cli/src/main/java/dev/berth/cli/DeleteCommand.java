package dev.berth.cli;

import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.labels.LabelSelector;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.DeleteService;
import dev.berth.bus.contract.DeleteHorizontalPodAutoscaler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@picocli.CommandLine.Command(name = "delete", description = "Delete a deployment and stop its pods, a service, or a namespace and everything in it:"
        + " berth delete deployment/NAME [-n NS], berth delete service/NAME [-n NS], berth delete hpa/NAME [-n NS], berth delete job/NAME [-n NS] (and its pods), berth delete deployments|services -l SELECTOR [-n NS | -A],"
        + " berth delete namespace/NAME,"
        + " or berth delete -f FILE|DIR|- [-n NS]")
final class DeleteCommand implements Callable<Integer> {
    private static final Set<String> KINDS = Set.of("deployment", "deployments", "deploy");

    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", arity = "0..1", paramLabel = "deployment/NAME")
    String target;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the name, when the first argument is just the kind")
    String name;

    @Option(names = {"-f", "--filename"}, description = "delete what these manifests name: a file, a directory, or - (stdin)")
    String location;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "delete every deployment (or service) whose labels match (kubectl's syntax, e.g. app=web or 'tier in (web,api)'): berth delete deployments -l app=web")
    String selector;

    @Override
    public Integer call() {
        if (selector != null) return deleteSelected();
        if ((target == null) == (location == null)) {
            System.err.println("error: give either deployment/NAME, service/NAME, namespace/NAME, deployments -l SELECTOR or -f FILE");
            return 2;
        }
        if (location != null) return ApplyCommand.delete(cluster, location, namespaces.namespace);
        if (name == null && (KINDS.contains(target) || ResourceRef.isServiceKind(target) || ResourceRef.isAutoscalerKind(target))) {
            System.err.println("error: resource(s) were provided, but no name was specified: give deployment/NAME or -l SELECTOR");
            return 2;
        }
        return CommandOutput.print(new CommandClient(cluster.bus()).send(command(target, name, namespaces), Duration.ofSeconds(30)));
    }

    /** What {@code berth delete KIND/NAME} (or {@code KIND NAME}) asks for; a bare NAME is a deployment, in -n. */
    static Command command(String target, String name, NamespaceOptions namespaces) {
        String ref = name == null ? target : target + "/" + name;
        String namespace = ResourceRef.namespaceName(ref);
        if (namespace != null) return new DeleteNamespace(namespace);
        String autoscaler = ResourceRef.autoscalerName(ref);
        if (autoscaler != null) return new DeleteHorizontalPodAutoscaler(namespaces.namespace(), autoscaler);
        String service = ResourceRef.serviceName(ref);
        if (service != null) return new DeleteService(namespaces.namespace(), service);
        String configMap = ConfigTables.nameIn(ref, ConfigTables.CONFIG_MAP_KINDS);
        if (configMap != null) return new dev.berth.bus.contract.DeleteConfigMap(namespaces.namespace(), configMap);
        String secret = ConfigTables.nameIn(ref, ConfigTables.SECRET_KINDS);
        if (secret != null) return new dev.berth.bus.contract.DeleteSecret(namespaces.namespace(), secret);
        String job = JobTables.nameIn(ref);
        if (job != null) return new dev.berth.bus.contract.DeleteJob(job, namespaces.namespace());
        return new DeleteDeployment(ResourceRef.deploymentName(ref), namespaces.namespace());
    }

    /** kubectl's {@code delete deployments -l}: every deployment the log shows with matching labels, one command each. */
    private int deleteSelected() {
        boolean services = target != null && ResourceRef.isServiceKind(target);
        if (location != null || target == null || !(KINDS.contains(target) || services)) {
            System.err.println("error: a selector deletes a kind: berth delete deployments|services -l SELECTOR");
            return 2;
        }
        LabelSelector labels;
        try {
            labels = LabelSelector.parse(selector);
        } catch (LabelSelector.InvalidSelector e) {
            System.err.println("error: invalid selector \"" + selector + "\": " + e.getMessage());
            return 1;
        }
        ClusterView view = GetCommand.load(cluster.bus(), Instant.now());
        List<? extends Command> selected = services ? selectedServices(view, labels, namespaces) : selected(view, labels, namespaces);
        if (selected.isEmpty()) {
            System.out.println("No resources found");
            return 0;
        }
        CommandClient client = new CommandClient(cluster.bus());
        int code = 0;
        for (Command delete : selected) code = Math.max(code, CommandOutput.print(client.send(delete, Duration.ofSeconds(30))));
        return code;
    }

    /** Deletes of the Services of the namespaces {@code ns} shows whose metadata.labels {@code labels} matches. */
    static List<DeleteService> selectedServices(ClusterView view, LabelSelector labels, NamespaceOptions ns) {
        return view.services().stream().filter(s -> ns.shows(s.namespace()) && labels.matches(s.spec.labels()))
                .map(s -> new DeleteService(s.namespace(), s.spec.name())).toList();
    }

    /** Deletes of the deployments of the namespaces {@code ns} shows whose own metadata.labels {@code labels} matches. */
    static List<DeleteDeployment> selected(ClusterView view, LabelSelector labels, NamespaceOptions ns) {
        return view.deployments().stream().filter(d -> ns.shows(d.namespace()) && labels.matches(d.spec.labels()))
                .map(d -> new DeleteDeployment(d.spec.name(), d.namespace())).toList();
    }
}
