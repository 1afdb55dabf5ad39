package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceViewsTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant NOW = T0.plusSeconds(60);
    final ClusterView view = new ClusterView();
    static final NamespaceOptions DEFAULT = NamespaceOptions.of(null, false);

    void at(int second, Payload p) { view.apply(Envelope.spontaneous(p, "test", T0.plusSeconds(second))); }

    static ServiceSpec web() {
        return new ServiceSpec("default", "web", "NodePort", "10.96.0.10", Map.of("app", "web"),
                List.of(new ServicePort("http", "TCP", 80, 0, "http", 30080, null), new ServicePort("metrics", "TCP", 9090, 9091, null, 0, null)),
                Map.of("tier", "front"));
    }

    static EndpointAddress address(String pod, String ip, boolean ready) {
        return new EndpointAddress(pod, "node-1", ip, ready, Map.of("http", 8080, "metrics", 9091));
    }

    void webWithEndpoints(EndpointAddress... addresses) {
        at(0, new ServiceApplied(web()));
        at(1, new Endpoints("default", "web", "NodePort", "10.96.0.10", web().ports(), List.of(addresses)));
    }

    @Test
    void servicesTableHasKubectlsColumns() {
        webWithEndpoints();
        at(2, new ServiceApplied(new ServiceSpec("default", "db", null, "None", Map.of("app", "db"), List.of(ServicePort.tcp(null, 5432, 0)), Map.of())));

        assertThat(ServiceTables.services(view, NOW, false, Selection.ALL, false, DEFAULT)).isEqualTo("""
                NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)                 AGE
                db     ClusterIP   None         <none>        5432/TCP                58s
                web    NodePort    10.96.0.10   <none>        80:30080/TCP,9090/TCP   60s
                """);
    }

    @Test
    void wideAddsTheSelectorAndAllNamespacesTheNamespace() {
        webWithEndpoints();
        at(2, new ServiceApplied(new ServiceSpec("shop", "cart", null, "10.96.0.11", Map.of(), List.of(ServicePort.tcp(null, 80, 8080)), Map.of())));

        String wide = GetCommand.render(view, GetCommand.Kind.svc, GetCommand.Output.wide, Selection.ALL, false, NOW, true, NamespaceOptions.of(null, true));
        assertThat(wide.lines().toList().get(0)).startsWith("NAMESPACE").endsWith("SELECTOR");
        assertThat(wide).contains("shop").contains("cart").contains("<none>").contains("app=web");
        assertThat(GetCommand.render(view, GetCommand.Kind.services, GetCommand.Output.table, Selection.ALL, false, NOW, true, DEFAULT))
                .doesNotContain("cart");
        assertThat(GetCommand.render(view, GetCommand.Kind.service, GetCommand.Output.name, Selection.ALL, false, NOW, true, DEFAULT))
                .isEqualTo("service/web" + System.lineSeparator());
    }

    @Test
    void labelSelectionPicksServicesByTheirOwnLabels() throws Exception {
        webWithEndpoints();
        assertThat(ServiceTables.services(view, NOW, false, Selection.of(null, "tier=front"), false, DEFAULT)).contains("web");
        assertThat(ServiceTables.services(view, NOW, false, Selection.of(null, "tier=back"), false, DEFAULT)).doesNotContain("web");
    }

    @Test
    void endpointsShowOnlyReadyAddressesAsKubectl() {
        webWithEndpoints(address("web-a", "10.244.0.5", true), address("web-b", "10.244.0.6", false));

        assertThat(ServiceTables.endpoints(view, NOW, Selection.ALL, false, DEFAULT))
                .contains("NAME   ENDPOINTS").contains("10.244.0.5:8080,10.244.0.5:9091").doesNotContain("10.244.0.6");
        assertThat(ServiceTables.endpointsColumn(List.of())).isEqualTo("<none>");
        assertThat(ServiceTables.endpointsColumn(List.of(address("a", "10.0.0.1", true), address("b", "10.0.0.2", true))))
                .isEqualTo("10.0.0.1:8080,10.0.0.1:9091,10.0.0.2:8080 + 1 more...");
    }

    @Test
    void servicesAndEndpointsJsonAreKubernetesShaped() {
        webWithEndpoints(address("web-a", "10.244.0.5", true), address("web-b", "10.244.0.6", false));

        String service = KubeObjects.json(KubeObjects.services(view, Selection.named("web"), DEFAULT));
        assertThat(service).contains("\"kind\" : \"Service\"").contains("\"clusterIP\" : \"10.96.0.10\"")
                .contains("\"targetPort\" : \"http\"").contains("\"targetPort\" : 9091").contains("\"nodePort\" : 30080");
        String endpoints = KubeObjects.json(KubeObjects.endpoints(view, Selection.ALL, DEFAULT));
        assertThat(endpoints).contains("\"kind\" : \"Endpoints\"").contains("\"notReadyAddresses\"").contains("\"ip\" : \"10.244.0.6\"")
                .contains("\"port\" : 8080");
        assertThat(KubeObjects.yaml(KubeObjects.services(view, Selection.ALL, DEFAULT))).contains("kind: Service");
    }

    @Test
    void deletionAndTombstonesRemoveServicesAndTheirEndpoints() {
        webWithEndpoints(address("web-a", "10.244.0.5", true));
        view.tombstone(Topic.ENDPOINTS.topicName(), "web");
        assertThat(view.service("default", "web").endpoints).isNull();

        at(3, new Endpoints("default", "web", "NodePort", "10.96.0.10", web().ports(), List.of(address("web-a", "10.244.0.5", true))));
        at(4, new ServiceDeleted("default", "web"));
        assertThat(view.services()).isEmpty();
        at(5, new ServiceApplied(web()));
        assertThat(view.service("default", "web").endpoints).as("a new Service starts without the old one's endpoints").isNull();
    }

    @Test
    void loadingTheLogAppliesEndpointsTombstonesInTheirPlace() {
        Envelope service = Envelope.spontaneous(new ServiceApplied(web()), "test", T0);
        Envelope endpoints = Envelope.spontaneous(new Endpoints("default", "web", "NodePort", "10.96.0.10", web().ports(),
                List.of(address("web-a", "10.244.0.5", true))), "test", T0.plusSeconds(1));
        List<dev.berth.bus.RawRecord> log = List.of(
                new dev.berth.bus.RawRecord(Topic.SERVICES.topicName(), 0, 0, T0.toEpochMilli(), "web", dev.berth.bus.Json.encode(service)),
                new dev.berth.bus.RawRecord(Topic.ENDPOINTS.topicName(), 0, 0, T0.plusSeconds(1).toEpochMilli(), "web", dev.berth.bus.Json.encode(endpoints)),
                new dev.berth.bus.RawRecord(Topic.ENDPOINTS.topicName(), 0, 1, T0.plusSeconds(2).toEpochMilli(), "web", null));
        LogSource source = (topics, sink) -> log.forEach(sink);

        assertThat(GetCommand.loadAt(source, T0.plusSeconds(1)).service("default", "web").addresses(true)).hasSize(1);
        assertThat(GetCommand.loadAt(source, NOW).service("default", "web").endpoints).isNull();
    }

    @Test
    void endpointsReadBeforeTheirServiceAreKept() {
        at(0, new Endpoints("default", "web", "NodePort", "10.96.0.10", web().ports(), List.of(address("web-a", "10.244.0.5", true))));
        at(0, new ServiceApplied(web()));
        assertThat(view.service("default", "web").addresses(true)).hasSize(1);
    }

    @Test
    void describeListsPortsEndpointsAndNotReadyOnes() {
        webWithEndpoints(address("web-a", "10.244.0.5", true), address("web-b", "10.244.0.6", false));

        String text = ServiceDescription.describe(view, "default", "web");
        assertThat(text).isEqualTo("""
                Name:                     web
                Namespace:                default
                Labels:                   tier=front
                Selector:                 app=web
                Type:                     NodePort
                IP:                       10.96.0.10
                Port:                     http  80/TCP
                TargetPort:               http/TCP
                NodePort:                 http  30080/TCP
                Endpoints:                10.244.0.5:8080
                Port:                     metrics  9090/TCP
                TargetPort:               9091/TCP
                Endpoints:                10.244.0.5:9091
                NotReadyEndpoints:        10.244.0.6:8080,10.244.0.6:9091
                """);
        assertThat(ServiceDescription.describe(view, "shop", "web")).isNull();
    }

    @Test
    void describeSaysWhyThereAreNoEndpoints() {
        webWithEndpoints();
        assertThat(ServiceDescription.describe(view, "default", "web"))
                .contains("Endpoints:                <none>")
                .contains("No endpoints:             no pod in namespace default matches the selector app=web");

        at(2, new DeploymentApplied(Samples.deployment("web", 2), 1));
        PodTemplate labelled = Samples.template().withLabels(Map.of("app", "web"));
        at(3, new PodCreated("web-a", "web", 1, labelled));
        at(3, new PodCreated("web-b", "web", 1, labelled));
        at(4, new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 0, null, "10.244.0.5", false));
        at(5, new Endpoints("default", "web", "NodePort", "10.96.0.10", web().ports(), List.of(address("web-a", "10.244.0.5", false))));
        assertThat(ServiceDescription.describe(view, "default", "web"))
                .contains("No endpoints:             2 pods match the selector but none is ready (see NotReadyEndpoints");
    }

    @Test
    void describeNamesTheNamespacesWhosePodsTheSelectorWouldMatch() {
        webWithEndpoints();
        PodTemplate labelled = Samples.template().withLabels(Map.of("app", "web"));
        for (String ns : List.of("shop", "lab")) {
            at(1, new NamespaceApplied(ns));
            at(1, new DeploymentApplied(Samples.deployment("web", 2).inNamespace(ns), 1));
        }
        at(2, new PodCreated("web-a", "web", 1, labelled, "shop"));
        at(2, new PodCreated("web-b", "web", 1, labelled, "shop"));
        at(2, new PodCreated("web-c", "web", 1, labelled, "lab"));
        assertThat(ServiceDescription.describe(view, "default", "web"))
                .contains("No endpoints:             no pod in namespace default matches the selector app=web (1 pod in namespace lab"
                        + " matches it, 2 pods in namespace shop match it; a Service selects pods of its own namespace only)");
    }

    @Test
    void aPodFailingItsReadinessProbeIsNotReady() {
        at(0, new DeploymentApplied(Samples.deployment("web", 1), 1));
        at(1, new PodCreated("web-a", "web", 1, Samples.template()));
        at(2, new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 0, null, "10.244.0.5", false));
        assertThat(GetCommand.podsTable(view, NOW)).contains("0/1").contains("Running");
        assertThat(GetCommand.podsJson(view)).contains("\"ready\" : false");
        assertThat(view.readyPods("web")).isZero();

        at(3, new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 0, null, "10.244.0.5", true));
        assertThat(GetCommand.podsTable(view, NOW)).contains("1/1");
        at(4, new PodStatusChanged("web-a", "node-1", ContainerState.Running, null, "Started", "", 0, null, "10.244.0.5", null));
        assertThat(GetCommand.podsTable(view, NOW)).as("no probe: Running means ready").contains("1/1");
    }

    @Test
    void deleteServiceNamesAndSelections() throws Exception {
        assertThat(DeleteCommand.command("service/web", null, NamespaceOptions.of("shop", false))).isEqualTo(new DeleteService("shop", "web"));
        assertThat(DeleteCommand.command("svc", "web", DEFAULT)).isEqualTo(new DeleteService("default", "web"));
        webWithEndpoints();
        assertThat(DeleteCommand.selectedServices(view, dev.berth.bus.labels.LabelSelector.parse("tier=front"), DEFAULT))
                .containsExactly(new DeleteService("default", "web"));
    }

    @Test
    void eventLinesSayWhatServicesAndEndpointsDid() {
        assertThat(EventText.object(new ServiceApplied(web()))).isEqualTo("service/web");
        assertThat(EventText.message(new ServiceApplied(web()))).isEqualTo("desired: NodePort 80:30080/TCP,9090/TCP on 10.96.0.10");
        assertThat(EventText.message(new ServiceDeleted("default", "web"))).contains("cluster IP and nodePorts are free");
        assertThat(EventText.message(new ApplyService(web()))).isEqualTo("apply: NodePort 80:30080/TCP,9090/TCP for pods app=web");
        assertThat(EventText.object(new DeleteService("shop", "web"))).isEqualTo("service/web");
        assertThat(EventText.namespace(new DeleteService("shop", "web"), p -> null)).isEqualTo("shop");
        Endpoints ep = new Endpoints("default", "web", "NodePort", "10.96.0.10", web().ports(),
                List.of(address("web-a", "10.244.0.5", true), address("web-b", "10.244.0.6", false)));
        assertThat(EventText.object(ep)).isEqualTo("endpoints/web");
        assertThat(EventText.message(ep)).isEqualTo("1 ready of 2 endpoints: 10.244.0.5:8080,10.244.0.5:9091");
        assertThat(EventText.message(new PodStatusChanged("p", "n", ContainerState.Running, null, null, null, 0, null, null, false)))
                .contains("not ready");
    }
}
