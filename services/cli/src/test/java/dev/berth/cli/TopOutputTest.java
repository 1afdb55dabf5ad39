package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerMetrics;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodMetrics;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ResourceRequirements;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `berth top` in kubectl top's shape, from records. */
class TopOutputTest {
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final long MI = Samples.MI;
    final ClusterView view = new ClusterView();

    void at(int second, Payload p) {
        view.apply(Envelope.spontaneous(p, "test", T0.plusSeconds(second)));
    }

    void pod(String namespace, String deployment, String name, PodTemplate t, String node) {
        at(0, new DeploymentApplied(new DeploymentSpec(deployment, 1, t, namespace), 1));
        at(1, new PodCreated(name, deployment, 1, t, namespace));
        at(2, new PodPlaced(name, node, deployment, t, 1, Map.of(), List.of(), null, namespace));
    }

    static PodMetrics usage(String namespace, String pod, String deployment, long cpu, long memory) {
        return new PodMetrics(namespace, pod, deployment, List.of(new ContainerMetrics(deployment, cpu, memory)));
    }

    static NodeMetrics sample(String node, int second, long cpu, long memory, PodMetrics... pods) {
        return new NodeMetrics(node, T0.plusSeconds(second), 5000, cpu, memory, List.of(pods));
    }

    static final NamespaceOptions DEFAULT = NamespaceOptions.of(null, false);

    @Test
    void podsInMillicoresAndMiWithPercentOfRequestWhereThereIsOne() {
        PodTemplate requested = Samples.template().withLabels(Map.of("app", "web")); // requests 250m, 64Mi
        PodTemplate bare = Samples.template().withResources(ResourceRequirements.NONE).withLabels(Map.of("app", "batch"));
        pod("default", "web", "web-a", requested, "node-1");
        pod("default", "batch", "batch-a", bare, "node-1");
        var latest = ResourceTop.latest(List.of(sample("node-1", 5, 900, 2048 * MI,
                usage("default", "web-a", "web", 125, 48 * MI + 5), usage("default", "batch-a", "batch", 7, 3 * MI))), T0.plusSeconds(10));

        assertThat(ResourceTop.pods(view, latest, DEFAULT, Selection.ALL, false)).isEqualTo("""
                NAME      CPU(cores)   MEMORY(bytes)   CPU%REQ   MEMORY%REQ
                batch-a   7m           3Mi             <none>    <none>
                web-a     125m         48Mi            50%       75%
                """);
    }

    @Test
    void withoutAnyRequestThereIsNoPercentColumnAsInKubectl() throws Exception {
        PodTemplate bare = Samples.template().withResources(ResourceRequirements.NONE);
        pod("default", "batch", "batch-a", bare, "node-1");
        var latest = ResourceTop.latest(List.of(sample("node-1", 5, 1, 1, usage("default", "batch-a", "batch", 1500, 1536 * MI))), T0.plusSeconds(5));
        assertThat(ResourceTop.pods(view, latest, DEFAULT, Selection.ALL, false)).isEqualTo("""
                NAME      CPU(cores)   MEMORY(bytes)
                batch-a   1500m        1536Mi
                """);
    }

    @Test
    void namespacesSelectorsAndContainers() throws Exception {
        pod("shop", "web", "web-a", Samples.template().withLabels(Map.of("app", "web")), "node-1");
        pod("shop", "db", "db-a", Samples.template().withLabels(Map.of("app", "db")), "node-2");
        pod("default", "web", "web-x", Samples.template().withLabels(Map.of("app", "web")), "node-2");
        var latest = ResourceTop.latest(List.of(
                sample("node-1", 5, 1, 1, usage("shop", "web-a", "web", 10, 10 * MI)),
                sample("node-2", 6, 1, 1, usage("shop", "db-a", "db", 20, 20 * MI), usage("default", "web-x", "web", 30, 30 * MI))),
                T0.plusSeconds(10));

        assertThat(ResourceTop.pods(view, latest, NamespaceOptions.of("shop", false), Selection.of(null, "app=web"), false)).isEqualTo("""
                NAME    CPU(cores)   MEMORY(bytes)   CPU%REQ   MEMORY%REQ
                web-a   10m          10Mi            4%        15%
                """);
        assertThat(ResourceTop.pods(view, latest, NamespaceOptions.of(null, true), Selection.ALL, true)).isEqualTo("""
                NAMESPACE   POD     NAME   CPU(cores)   MEMORY(bytes)
                default     web-x   web    30m          30Mi
                shop        db-a    db     20m          20Mi
                shop        web-a   web    10m          10Mi
                """);
        assertThat(ResourceTop.pods(view, latest, NamespaceOptions.of("empty", false), Selection.ALL, false))
                .isEqualTo("No resources found in empty namespace.\n");
    }

    @Test
    void nodesWithPercentOfAllocatableFromTheirHeartbeat() {
        at(3, new NodeHeartbeat("node-1", new NodeResources(4000, 8192 * MI, 110), new NodeResources(2000, 4096 * MI, 110),
                List.of(), List.of(), 1, T0));
        var latest = ResourceTop.latest(List.of(sample("node-1", 5, 500, 1024 * MI), sample("node-1", 10, 1000, 2048 * MI),
                sample("node-9", 9, 250, 512 * MI)), T0.plusSeconds(12));
        assertThat(ResourceTop.nodes(view, latest)).isEqualTo("""
                NAME     CPU(cores)   CPU%        MEMORY(bytes)   MEMORY%
                node-1   1000m        50%         2048Mi          50%
                node-9   250m         <unknown>   512Mi           <unknown>
                """);
    }

    @Test
    void staleOrNoSamplesAreMetricsNotAvailableYet() {
        var stale = ResourceTop.latest(List.of(sample("node-1", 0, 1, 1)), T0.plus(ResourceTop.STALE).plusSeconds(1));
        assertThat(stale).isEmpty();
        assertThat(ResourceTop.nodes(view, stale)).isNull();
        assertThat(ResourceTop.pods(view, stale, DEFAULT, Selection.ALL, false)).isNull();
        assertThat(ResourceTop.latest(List.of(sample("node-1", 0, 1, 1)), T0.plus(ResourceTop.STALE))).containsKey("node-1");
    }

    @Test
    void theLatestSampleOfANodeWinsWhateverTheOrderReadIn() {
        var latest = ResourceTop.latest(List.of(sample("node-1", 10, 2, 1), sample("node-1", 5, 1, 1)), T0.plusSeconds(11));
        assertThat(latest.get("node-1").cpuMillicores()).isEqualTo(2);
    }
}
