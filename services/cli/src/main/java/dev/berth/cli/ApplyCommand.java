package dev.berth.cli;

import dev.berth.bus.contract.ApplyConfigMap;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ApplyJob;
import dev.berth.bus.contract.DeleteJob;
import dev.berth.bus.contract.JobSpec;
import dev.berth.bus.contract.ApplySecret;
import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.DeleteConfigMap;
import dev.berth.bus.contract.DeleteSecret;
import dev.berth.bus.contract.SecretSpec;
import dev.berth.bus.contract.ApplyHorizontalPodAutoscaler;
import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.DeleteHorizontalPodAutoscaler;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.ApplyService;
import dev.berth.bus.contract.DeleteService;
import dev.berth.bus.contract.ServiceSpec;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth apply -f}: every object of the given files, directory or standard input gets its own
 * answer; a kind Berth does not know is reported by name and the others still apply. Exit code 1 if
 * any object was not applied.
 */
@picocli.CommandLine.Command(name = "apply", description = "Apply Kubernetes manifests (Deployment, Job, Service, Namespace, HorizontalPodAutoscaler, ConfigMap, Secret): a file with one or more YAML"
        + " documents, a directory, or - for stdin. Objects without metadata.namespace go to -n, else default.")
final class ApplyCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;

    @Option(names = {"-f", "--filename"}, required = true, description = "manifest file, directory, or - (stdin)")
    String location;

    @Override
    public Integer call() throws Exception {
        return apply(cluster, location, namespaces.namespace);
    }

    static int apply(ClusterOptions cluster, Path file) throws Exception { return apply(cluster, file.toString(), null); }

    static int apply(ClusterOptions cluster, String location) { return apply(cluster, location, null); }

    /** {@code namespace}: -n, or null when not given. */
    static int apply(ClusterOptions cluster, String location, String namespace) {
        return each(cluster, location, "apply", namespace);
    }

    /** {@code berth delete -f}: deletes every object the manifests name. */
    static int delete(ClusterOptions cluster, String location) { return delete(cluster, location, null); }

    static int delete(ClusterOptions cluster, String location, String namespace) {
        return each(cluster, location, "delete", namespace);
    }

    /** The command an object of a manifest asks for, or why there is none; warnings go to {@code warnings}. */
    static Command command(ManifestReader.Item item, String verb, String namespace, List<String> warnings)
            throws DeploymentManifest.InvalidManifest {
        boolean apply = verb.equals("apply");
        if (item.kind().equals("Namespace") && item.apiVersion().equals("v1")) {
            String name = item.name();
            if (name.isBlank()) throw new DeploymentManifest.InvalidManifest("metadata.name is required");
            for (var it = item.object().fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("apiVersion", "kind", "metadata").contains(f)) warnings.add(f + ": not supported by Berth, ignored");
            }
            return apply ? new ApplyNamespace(name) : new DeleteNamespace(name);
        }
        if (item.kind().equals("Service")) {
            ServiceManifest.Parsed parsed = ServiceManifest.parse(item.object());
            ServiceSpec spec = parsed.in(namespace);
            if (!apply) return new DeleteService(spec.namespace(), spec.name());
            warnings.addAll(parsed.ignored());
            return new ApplyService(spec);
        }
        if (item.kind().equals(ConfigManifest.CONFIG_MAP)) {
            ConfigManifest.ParsedConfigMap parsed = ConfigManifest.configMap(item.object());
            ConfigMapSpec spec = parsed.in(namespace);
            if (!apply) return new DeleteConfigMap(spec.namespace(), spec.name());
            warnings.addAll(parsed.ignored());
            return new ApplyConfigMap(spec);
        }
        if (item.kind().equals(ConfigManifest.SECRET)) {
            ConfigManifest.ParsedSecret parsed = ConfigManifest.secret(item.object());
            SecretSpec spec = parsed.in(namespace);
            if (!apply) return new DeleteSecret(spec.namespace(), spec.name());
            warnings.addAll(parsed.ignored());
            return new ApplySecret(spec);
        }
        if (item.kind().equals(JobManifest.KIND)) {
            JobManifest.Parsed parsed = JobManifest.parse(item.object());
            JobSpec spec = parsed.in(namespace);
            if (!apply) return new DeleteJob(spec.name(), spec.namespace());
            warnings.addAll(parsed.ignored());
            return new ApplyJob(spec);
        }
        if (item.kind().equals(HorizontalPodAutoscalerManifest.KIND)) {
            HorizontalPodAutoscalerManifest.Parsed parsed = HorizontalPodAutoscalerManifest.parse(item.object());
            HorizontalPodAutoscalerSpec spec = parsed.in(namespace);
            if (!apply) return new DeleteHorizontalPodAutoscaler(spec.namespace(), spec.name());
            warnings.addAll(parsed.ignored());
            return new ApplyHorizontalPodAutoscaler(spec);
        }
        if (!item.kind().equals("Deployment")) {
            throw new DeploymentManifest.InvalidManifest("kind " + item.kind() + " (" + item.apiVersion() + ") is not supported by Berth; not "
                    + (apply ? "applied" : "deleted"));
        }
        DeploymentManifest.Parsed parsed = DeploymentManifest.parse(item.object());
        DeploymentSpec spec = parsed.in(namespace);
        if (!apply) return new DeleteDeployment(spec.name(), spec.namespace());
        warnings.addAll(parsed.ignored());
        return new ApplyDeployment(spec);
    }

    private static int each(ClusterOptions cluster, String location, String verb, String namespace) {
        List<ManifestReader.Item> items;
        try {
            items = ManifestReader.read(location, System.in);
        } catch (ManifestReader.InvalidInput e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        CommandClient client = null;
        int failed = 0;
        List<Command> commands = new ArrayList<>();
        Map<String, List<String>> ignored = new LinkedHashMap<>();
        for (ManifestReader.Item item : items) {
            if (item.problem() != null) {
                System.err.println("error: " + item.source() + ": " + item.problem());
                failed++;
                continue;
            }
            Command command;
            List<String> warnings = new ArrayList<>();
            try {
                command = command(item, verb, namespace, warnings);
            } catch (DeploymentManifest.InvalidManifest e) {
                System.err.println("error: " + item.source() + ": " + item.ref() + ": " + e.getMessage());
                failed++;
                continue;
            }
            if (!warnings.isEmpty()) ignored.computeIfAbsent(item.ref(), r -> new ArrayList<>()).addAll(warnings);
            commands.add(command);
        }
        System.err.print(warningBlock(ignored));
        for (Command command : commands) {
            if (client == null) client = new CommandClient(cluster.bus());
            Event answer = client.send(command, Duration.ofSeconds(30));
            if (CommandOutput.print(answer) != 0) failed++;
        }
        return failed == 0 ? 0 : 1;
    }

    private static final String IGNORED = ": not supported by Berth, ignored";

    /**
     * Every field the objects of one apply carry that Berth does not use, as one block (issue 10 item 14) rather
     * than a line each: a header, then per object its fields. Empty when there are none.
     */
    static String warningBlock(Map<String, List<String>> byObject) {
        if (byObject.isEmpty()) return "";
        StringBuilder out = new StringBuilder("Warning: fields Berth does not use:").append(System.lineSeparator());
        byObject.forEach((ref, fields) -> {
            for (String f : fields) {
                String field = f.endsWith(IGNORED) ? f.substring(0, f.length() - IGNORED.length()) : f;
                out.append("  ").append(ref).append(": ").append(field).append(System.lineSeparator());
            }
        });
        return out.toString();
    }
}
