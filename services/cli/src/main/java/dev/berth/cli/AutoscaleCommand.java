package dev.berth.cli;

import dev.berth.bus.contract.ApplyHorizontalPodAutoscaler;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.ScaleTargetRef;
import dev.berth.controller.core.AutoscalerRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth autoscale deployment/NAME --min N --max M --cpu-percent P}, as kubectl's: creates a HorizontalPodAutoscaler
 * (named after the deployment unless --name) that keeps the deployment's cpu at P % of its requests (80 % when not
 * given). Like kubectl, it needs the deployment to exist and refuses to replace an autoscaler of the same name.
 */
@Command(name = "autoscale", description = "Create a HorizontalPodAutoscaler for a deployment:"
        + " berth autoscale deployment/NAME --max M [--min N] [--cpu-percent P] [--name HPA] [-n NS]")
final class AutoscaleCommand implements Callable<Integer> {
    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", paramLabel = "deployment/NAME")
    String target;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the name, when the first argument is just 'deployment'")
    String targetName;

    @Option(names = "--min", description = "the lower limit for the number of pods (default 1)")
    Integer min;

    @Option(names = "--max", required = true, description = "the upper limit for the number of pods")
    int max;

    @Option(names = "--cpu-percent", description = "the target average cpu utilization, in percent of the pods' requests (default 80)")
    Integer cpuPercent;

    @Option(names = "--name", description = "the autoscaler's name (default: the deployment's)")
    String name;

    @Override
    public Integer call() {
        String deployment = ResourceRef.deploymentName(targetName == null ? target : target + "/" + targetName);
        String namespace = namespaces.namespace();
        HorizontalPodAutoscalerSpec spec = spec(namespace, deployment, name, min, max, cpuPercent);
        List<String> problems = AutoscalerRules.check(spec);
        if (!problems.isEmpty()) {
            System.err.println("error: " + AutoscalerRules.invalid(spec.name(), problems));
            return 1;
        }
        ClusterView view = GetCommand.load(cluster.bus(), Instant.now());
        if (view.deployment(namespace, deployment) == null) {
            System.err.println("Error from server (NotFound): deployments.apps \"" + deployment + "\" not found");
            return 1;
        }
        if (view.autoscaler(namespace, spec.name()) != null) {
            System.err.println("Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling \"" + spec.name() + "\" already exists");
            return 1;
        }
        int code = CommandOutput.print(new CommandClient(cluster.bus()).send(new ApplyHorizontalPodAutoscaler(spec), Duration.ofSeconds(30)));
        return code;
    }

    /** What the flags ask for: cpu at {@code cpuPercent} (80 when null) of requests, named after the deployment unless {@code name}. */
    static HorizontalPodAutoscalerSpec spec(String namespace, String deployment, String name, Integer min, int max, Integer cpuPercent) {
        int cpu = cpuPercent == null ? HorizontalPodAutoscalerSpec.DEFAULT_CPU_UTILIZATION : cpuPercent;
        return new HorizontalPodAutoscalerSpec(Namespaces.orDefault(namespace), name == null ? deployment : name, ScaleTargetRef.deployment(deployment),
                min, max, List.of(MetricSpec.cpuUtilization(cpu)), null);
    }

    /**
     * What {@code berth scale} says after scaling a deployment an autoscaler manages: as in Kubernetes, the autoscaler
     * sets the replicas again on its next decision. Null when none manages it.
     */
    static String overrideWarning(ClusterView view, String namespace, String deployment) {
        List<ClusterView.AutoscalerRow> managing = view.autoscalersOf(Namespaces.key(namespace, deployment));
        if (managing.isEmpty()) return null;
        ClusterView.AutoscalerRow a = managing.get(0);
        return "Warning: HorizontalPodAutoscaler " + a.spec.name() + " manages deployment/" + deployment + " and will override this scale"
                + " (it keeps " + a.spec.minReplicasOrDefault() + " to " + a.spec.maxReplicas() + " replicas on its metrics);"
                + " change its minReplicas/maxReplicas, or delete it (berth delete hpa/" + a.spec.name() + "), to set replicas by hand";
    }
}
