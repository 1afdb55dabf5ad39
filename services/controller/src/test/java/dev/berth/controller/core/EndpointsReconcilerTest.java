package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.ApplyService;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteService;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pods a Service's Endpoints list, how their ports resolve, and when records (and tombstones) are published. */
class EndpointsReconcilerTest {
    private final Harness h = Harness.withImages("busybox");

    private static PodTemplate web() {
        return Samples.template().withLabels(Map.of("app", "web", "tier", "front")).withPorts(List.of(new ContainerPort(8080, "http", "TCP", 0)));
    }

    private static ServiceSpec service(String namespace, Map<String, String> selector, ServicePort... ports) {
        return new ServiceSpec(namespace, "web", null, null, selector, List.of(ports), Map.of());
    }

    private List<PodRecord> deploy(String namespace, PodTemplate template, int replicas) {
        DeploymentSpec d = new DeploymentSpec("web", replicas, template, namespace);
        h.accepted(new ApplyDeployment(d));
        h.reconcile();
        return h.live(d.key());
    }

    private void running(PodRecord pod, String ip, Boolean ready) {
        h.read(new PodStatusChanged(pod.name(), "node-1", ContainerState.Running, null, null, null, 0, null, ip, ready));
    }

    /** What the controller publishes now; the state moves on as the core's would. */
    private List<Outbound> publish() {
        Decision<ControllerState> d = EndpointsReconciler.reconcile(h.state);
        h.state = d.state();
        return d.outputs();
    }

    private Endpoints only(List<Outbound> outputs) {
        assertThat(outputs).hasSize(1);
        assertThat(outputs.get(0).topic()).isEqualTo(Topic.ENDPOINTS);
        return (Endpoints) outputs.get(0).payload();
    }

    @Test
    void listsSelectedPodsWithAnIpReadyWhenRunning() {
        List<PodRecord> pods = deploy(null, web(), 3);
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        running(pods.get(0), "10.244.0.5", null);
        running(pods.get(1), "10.244.0.6", false);
        // pods.get(2) has no IP yet: not listed

        Endpoints e = only(publish());

        assertThat(e.key()).isEqualTo("web");
        assertThat(e.clusterIP()).isEqualTo(h.state.service("web").get().spec().clusterIP());
        assertThat(e.endpoints()).extracting(EndpointAddress::ip).containsExactlyInAnyOrder("10.244.0.5", "10.244.0.6");
        assertThat(e.endpoints()).filteredOn(EndpointAddress::ready).extracting(EndpointAddress::pod).containsExactly(pods.get(0).name());
        assertThat(e.endpoints()).allSatisfy(a -> {
            assertThat(a.node()).isEqualTo("node-1");
            assertThat(a.targetPorts()).isEqualTo(Map.of("", 8080));
        });
        assertThat(publish()).as("nothing changed: nothing published").isEmpty();
    }

    @Test
    void everySelectorPairMustMatch() {
        List<PodRecord> pods = deploy(null, web(), 1);
        running(pods.get(0), "10.244.0.5", null);
        h.accepted(new ApplyService(service(null, Map.of("app", "web", "tier", "back"), ServicePort.tcp(null, 80, 0))));
        assertThat(only(publish()).endpoints()).isEmpty();

        h.accepted(new ApplyService(service(null, Map.of("app", "web", "tier", "front"), ServicePort.tcp(null, 80, 0))));
        Endpoints e = only(publish());
        assertThat(e.endpoints()).singleElement().satisfies(a -> assertThat(a.targetPorts()).isEqualTo(Map.of("", 80)));
    }

    @Test
    void anEmptySelectorManagesNoEndpoints() {
        running(deploy(null, web(), 1).get(0), "10.244.0.5", null);
        h.accepted(new ApplyService(service(null, Map.of(), ServicePort.tcp(null, 80, 8080))));
        assertThat(only(publish()).endpoints()).isEmpty();
    }

    @Test
    void podsOfAnotherNamespaceAreNotSelected() {
        h.accepted(new ApplyNamespace("shop"));
        running(deploy("shop", web(), 1).get(0), "10.244.0.7", null);
        running(deploy(null, web(), 1).get(0), "10.244.0.5", null);
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        h.accepted(new ApplyService(service("shop", Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));

        List<Outbound> out = publish();

        assertThat(out).extracting(Outbound::key).containsExactlyInAnyOrder("web", "shop/web");
        for (Outbound o : out) {
            Endpoints e = (Endpoints) o.payload();
            assertThat(e.endpoints()).singleElement().extracting(EndpointAddress::ip)
                    .isEqualTo(e.namespace().equals("shop") ? "10.244.0.7" : "10.244.0.5");
        }
    }

    @Test
    void aNamedTargetPortResolvesPerPodAndAPodLackingItIsLeftOutOfThatPort() {
        h.accepted(new ApplyDeployment(new DeploymentSpec("web", 1, web(), null)));
        h.accepted(new ApplyDeployment(new DeploymentSpec("old", 1, Samples.template().withLabels(Map.of("app", "web")), null)));
        h.reconcile();
        running(h.live("web").get(0), "10.244.0.5", null);
        running(h.live("old").get(0), "10.244.0.6", null);
        h.accepted(new ApplyService(service(null, Map.of("app", "web"),
                new ServicePort("http", "TCP", 80, 0, "http", 0, null), new ServicePort("metrics", "TCP", 9090, 9091, null, 0, null))));

        Endpoints e = only(publish());

        assertThat(e.endpoints()).filteredOn(a -> a.ip().equals("10.244.0.5")).singleElement()
                .satisfies(a -> assertThat(a.targetPorts()).isEqualTo(Map.of("http", 8080, "metrics", 9091)));
        assertThat(e.endpoints()).filteredOn(a -> a.ip().equals("10.244.0.6")).singleElement()
                .satisfies(a -> assertThat(a.targetPorts()).isEqualTo(Map.of("metrics", 9091)));
    }

    @Test
    void readinessTransitionsArePublished() {
        PodRecord pod = deploy(null, web(), 1).get(0);
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        running(pod, "10.244.0.5", false);
        assertThat(only(publish()).ready()).isZero();

        running(pod, "10.244.0.5", true);
        assertThat(only(publish()).ready()).isEqualTo(1);

        running(pod, "10.244.0.5", false);
        assertThat(only(publish()).ready()).isZero();

        running(pod, "10.244.0.5", null);
        assertThat(only(publish()).ready()).as("no probe: ready when Running").isEqualTo(1);
        h.read(new PodStatusChanged(pod.name(), "node-1", ContainerState.Waiting, 1, "CrashLoopBackOff", null, 1, null, "10.244.0.5", null));
        assertThat(only(publish()).endpoints()).singleElement().satisfies(a -> assertThat(a.ready()).isFalse());

        h.read(new PodStatusChanged(pod.name(), "node-1", ContainerState.Exited, 1, "Error", null, 1));
        assertThat(only(publish()).endpoints()).as("an ended pod has no address").isEmpty();
    }

    @Test
    void aChangedPodIpIsPublishedAndAReportWithoutIpKeepsTheKnownOne() {
        PodRecord pod = deploy(null, web(), 1).get(0);
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        running(pod, "10.244.0.5", null);
        publish();

        running(pod, "10.244.1.9", null);
        assertThat(only(publish()).endpoints()).extracting(EndpointAddress::ip).containsExactly("10.244.1.9");

        h.read(new PodStatusChanged(pod.name(), "node-1", ContainerState.Running, null, null, null, 0));
        assertThat(publish()).isEmpty();
    }

    @Test
    void aPodBeingDeletedIsListedNotReadyThenDropped() {
        PodRecord pod = deploy(null, web(), 1).get(0);
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        running(pod, "10.244.0.5", null);
        publish();

        h.accepted(new ScaleDeployment("web", 0));
        h.reconcile();
        assertThat(only(publish()).endpoints()).singleElement().satisfies(a -> assertThat(a.ready()).isFalse());

        h.read(new PodStatusChanged(pod.name(), "node-1", ContainerState.Stopped, 0, null, null, 0));
        assertThat(only(publish()).endpoints()).isEmpty();
    }

    @Test
    void aDeletedServiceGetsATombstoneOnce() {
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        publish();
        h.accepted(new DeleteService(null, "web"));

        List<Outbound> out = publish();

        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.topic()).isEqualTo(Topic.ENDPOINTS);
            assertThat(o.key()).isEqualTo("web");
            assertThat(o.payload()).isNull();
        });
        assertThat(h.state.publishedEndpoints()).isEmpty();
        assertThat(publish()).isEmpty();
    }

    @Test
    void resyncRepublishesEverything() {
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        publish();
        assertThat(publish()).isEmpty();

        Decision<ControllerState> resynced = EndpointsReconciler.resync(h.state);
        assertThat(resynced.outputs()).extracting(Outbound::key).containsExactly("web");
        assertThat(resynced.state().publishedEndpoints()).isEqualTo(h.state.publishedEndpoints());
    }

    @Test
    void theCorePublishesAfterABatchAndOnResync() {
        ControllerCore core = new ControllerCore(new NodeTimeouts(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(2), Harness.T0));
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        Decision<ControllerState> first = core.onInput(h.state, new ControllerCore.Resync(), h.now);
        assertThat(first.outputs()).filteredOn(o -> o.topic() == Topic.ENDPOINTS).extracting(Outbound::key).containsExactly("web");
        Decision<ControllerState> again = core.onInput(first.state(), new ControllerCore.Resync(), h.now);
        assertThat(again.outputs()).filteredOn(o -> o.topic() == Topic.ENDPOINTS).as("level-triggered: every resync").hasSize(1);
        assertThat(ControllerCore.endpoints(again.state()).outputs()).isEmpty();
    }

    @Test
    void aPodReportBatchPublishesTheChangedEndpointsThroughTheCore() {
        ControllerCore core = new ControllerCore(new NodeTimeouts(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(2), Harness.T0));
        PodRecord pod = deploy(null, web(), 1).get(0);
        h.accepted(new ApplyService(service(null, Map.of("app", "web"), ServicePort.tcp(null, 80, 8080))));
        h.state = core.onInput(h.state, new ControllerCore.Resync(), h.now).state();

        PodStatusChanged report = new PodStatusChanged(pod.name(), "node-1", ContainerState.Running, null, null, null, 0, null, "10.244.0.5", null);
        dev.berth.bus.Envelope env = dev.berth.bus.Envelope.spontaneous(report, "node-agent/node-1", h.now);
        dev.berth.bus.RawRecord raw = new dev.berth.bus.RawRecord(Topic.POD_STATUS.topicName(), 0, 0, h.now.toEpochMilli(), pod.name(),
                dev.berth.bus.Json.encode(env));
        dev.berth.bus.ServiceLoop.Received in = new dev.berth.bus.ServiceLoop.Received(raw, env, h.now);
        ControllerState applied = core.onRecord(h.state, in).state();

        Decision<ControllerState> after = core.afterBatch(applied,
                new dev.berth.bus.ServiceLoop.BatchEnd(ControllerCore.POD_REPORTS, List.of(raw), List.of(in), List.of(), h.now));

        assertThat(after.outputs()).filteredOn(o -> o.topic() == Topic.ENDPOINTS).singleElement()
                .satisfies(o -> assertThat(((Endpoints) o.payload()).ready()).isEqualTo(1));
        assertThat(core.afterBatch(after.state(),
                new dev.berth.bus.ServiceLoop.BatchEnd(ControllerCore.POD_REPORTS, List.of(raw), List.of(in), List.of(), h.now)).outputs())
                .as("the same report again: nothing changed").isEmpty();
    }
}
