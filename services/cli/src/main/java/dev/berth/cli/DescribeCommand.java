package dev.berth.cli;

import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "describe", description = "Show a pod, a deployment (deployment/NAME: strategy, replicas, conditions, revision, events), a job (job/NAME: completions, parallelism, pod counts, conditions), a service or an autoscaler (hpa/NAME: metrics, conditions, recent decisions) in detail: spec, node, status, restarts, last exit, the scheduler's reasons and"
        + " recent events; a service's ports, endpoints and why it has none. berth describe pod/NAME | deployment/NAME | service/NAME | hpa/NAME [-n NS]")
final class DescribeCommand implements Callable<Integer> {
    static final List<Topic> POD_TOPICS = List.of(Topic.PODS, Topic.PLACEMENTS, Topic.SCHEDULING, Topic.POD_STATUS);

    @Mixin ClusterOptions cluster;
    @Mixin HistoryOptions history;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", paramLabel = "pod/NAME")
    String resource;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the name, when the first argument is just 'pod'")
    String name;

    @Override
    public Integer call() {
        String autoscaler = ResourceRef.autoscalerName(name == null ? resource : resource + "/" + name);
        if (autoscaler != null) {
            return describe("horizontalpodautoscalers.autoscaling \"" + autoscaler + "\" not found",
                    (view, now) -> AutoscalerDescription.describe(view, namespaces.namespace(), autoscaler, now));
        }
        String deployment = ResourceRef.deploymentRef(name == null ? resource : resource + "/" + name);
        if (deployment != null) {
            return describe("deployments.apps \"" + deployment + "\" not found",
                    (view, now) -> DeploymentDescription.describe(view, namespaces.namespace(), deployment, now));
        }
        String ref = name == null ? resource : resource + "/" + name;
        String job = JobTables.nameIn(ref);
        if (job != null) {
            return describe("jobs.batch \"" + job + "\" not found", (view, now) -> JobTables.describe(view, namespaces.namespace(), job, now));
        }
        String configMap = ConfigTables.nameIn(ref, ConfigTables.CONFIG_MAP_KINDS), secret = ConfigTables.nameIn(ref, ConfigTables.SECRET_KINDS);
        if (configMap != null || secret != null) {
            Instant now = Instant.now();
            ClusterView view = GetCommand.loadAt(history.source(cluster, GetCommand.heartbeatsSince(now), null), now);
            String description = configMap != null ? ConfigTables.describeConfigMap(view, namespaces.namespace(), configMap)
                    : ConfigTables.describeSecret(view, namespaces.namespace(), secret);
            if (description == null) {
                throw new IllegalArgumentException(configMap != null ? "configmaps \"" + configMap + "\" not found" : "secrets \"" + secret + "\" not found");
            }
            System.out.print(description);
            return 0;
        }
        if (isService(resource)) {
            String service = serviceName(resource, name);
            Instant now = Instant.now();
            ClusterView view = GetCommand.loadAt(history.source(cluster, GetCommand.heartbeatsSince(now), null), now);
            String description = ServiceDescription.describe(view, namespaces.namespace(), service);
            if (description == null) throw new IllegalArgumentException("services \"" + service + "\" not found");
            System.out.print(description);
            return 0;
        }
        String pod = podName(resource, name);
        List<dev.berth.bus.Envelope> log = history.source(cluster).entries(POD_TOPICS).stream().map(LogSource.Entry::envelope).toList();
        String description = PodDescription.describe(pod, log, Instant.now());
        if (description == null) throw new IllegalArgumentException("pod/" + pod + " not found");
        String elsewhere = PodNamespace.mismatch(pod, log, namespaces);
        if (elsewhere != null) throw new IllegalArgumentException(elsewhere);
        System.out.print(description);
        return 0;
    }

    private static final java.util.Set<String> SERVICE_KINDS = java.util.Set.of("service", "services", "svc");

    static boolean isService(String resource) {
        int slash = resource.indexOf('/');
        return SERVICE_KINDS.contains(slash < 0 ? resource : resource.substring(0, slash));
    }

    /** {@code service/NAME}, or {@code service NAME}; services and svc work too. */
    static String serviceName(String resource, String name) {
        int slash = resource.indexOf('/');
        String service = slash < 0 ? name : resource.substring(slash + 1);
        if (service == null || service.isBlank()) throw new IllegalArgumentException("which service? berth describe service/NAME");
        return service;
    }

    /** {@code pod/NAME}, or {@code pod NAME}; pods and po work too. */
    static String podName(String resource, String name) {
        int slash = resource.indexOf('/');
        String kind = slash < 0 ? resource : resource.substring(0, slash);
        if (!kind.equals("pod") && !kind.equals("pods") && !kind.equals("po")) {
            throw new IllegalArgumentException("berth describe shows pods, deployments, services and autoscalers: expected pod/NAME, deployment/NAME, service/NAME or hpa/NAME, got " + resource);
        }
        String pod = slash < 0 ? name : resource.substring(slash + 1);
        if (pod == null || pod.isBlank()) throw new IllegalArgumentException("which pod? berth describe pod/NAME");
        return pod;
    }

    /** Prints what {@code describe} makes of the cluster now, or fails with Kubernetes' not-found words. */
    private int describe(String notFound, java.util.function.BiFunction<ClusterView, Instant, String> describe) {
        Instant now = Instant.now();
        ClusterView view = GetCommand.loadAt(history.source(cluster, GetCommand.heartbeatsSince(now), null), now);
        String description = describe.apply(view, now);
        if (description == null) throw new IllegalArgumentException(notFound);
        System.out.print(description);
        return 0;
    }
}
