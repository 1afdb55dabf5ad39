package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NamespaceApplied;
import dev.berth.bus.contract.NamespaceDeleted;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.ScaleDeployment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Namespaces in the controller: objects keyed by (namespace, name), Kubernetes' answers, cascading deletion. */
class NamespacesTest {

    private final Harness h = Harness.withImages("busybox");

    private static DeploymentSpec web(String namespace, int replicas) { return Samples.deployment("web", replicas).inNamespace(namespace); }

    private void namespace(String name) { h.accepted(new ApplyNamespace(name)); }

    /** Every pod the reconciler asked for runs, then every pod whose deletion was asked for stops. */
    private void nodesDoWhatTheyAreAsked() {
        for (PodRecord p : List.copyOf(h.state.pods().values())) {
            if (p.node() == null) h.placed(p.name(), "node-1");
            h.status(p.name(), p.deletionRequested() ? ContainerState.Stopped : ContainerState.Running);
        }
    }

    @Test
    void theSameNameMayExistInTwoNamespaces() {
        namespace("shop");
        h.accepted(new ApplyDeployment(web("default", 2)));
        h.accepted(new ApplyDeployment(web("shop", 3)));
        List<PodCreated> created = Harness.created(h.reconcile());

        assertThat(h.state.deployment("default", "web").orElseThrow().replicas()).isEqualTo(2);
        assertThat(h.state.deployment("shop", "web").orElseThrow().replicas()).isEqualTo(3);
        assertThat(h.state.deployments().keySet()).containsExactly("shop/web", "web");
        assertThat(created).hasSize(5);
        assertThat(created).filteredOn(c -> c.namespace().equals("shop")).hasSize(3);
        assertThat(h.live("shop/web")).hasSize(3).allSatisfy(p -> assertThat(p.namespace()).isEqualTo("shop"));
        assertThat(h.live("web")).hasSize(2).allSatisfy(p -> assertThat(p.namespace()).isEqualTo("default"));
    }

    @Test
    void podNamesStayUniqueAcrossNamespaces() {
        namespace("a");
        namespace("b");
        h.accepted(new ApplyDeployment(web("a", 50)));
        h.accepted(new ApplyDeployment(web("b", 50)));
        h.accepted(new ApplyDeployment(web("default", 50)));
        List<PodCreated> created = Harness.created(h.reconcile());

        Set<String> names = new HashSet<>();
        created.forEach(c -> names.add(c.pod()));
        assertThat(names).hasSize(150);
        assertThat(names).allSatisfy(n -> assertThat(n).startsWith("web-").hasSize("web-".length() + PodNames.SUFFIX_LENGTH));
    }

    @Test
    void inTheDefaultNamespacePodsAreNamedAsBeforeNamespaces() {
        h.accepted(new ApplyDeployment(Samples.deployment("web", 1)));
        assertThat(Harness.created(h.reconcile()).get(0).pod()).isEqualTo(PodNames.name("web", 0, n -> false));
    }

    @Test
    void scaleAndDeleteReachOnlyTheirNamespace() {
        namespace("shop");
        h.accepted(new ApplyDeployment(web("default", 2)));
        h.accepted(new ApplyDeployment(web("shop", 2)));
        h.reconcile();

        assertThat(h.accepted(new ScaleDeployment("web", 4, "shop")).message()).isEqualTo("deployment shop/web scaled from 2 to 4");
        h.accepted(new DeleteDeployment("web", "default"));

        assertThat(h.state.deployment("web")).isEmpty();
        assertThat(h.state.deployment("shop", "web").orElseThrow().replicas()).isEqualTo(4);
        List<Event> reconciled = h.reconcile();
        assertThat(Harness.deletions(reconciled)).hasSize(2).allSatisfy(d -> assertThat(d.namespace()).isEqualTo("default"));
        assertThat(Harness.created(reconciled)).hasSize(2).allSatisfy(c -> assertThat(c.namespace()).isEqualTo("shop"));
    }

    @Test
    void anObjectInAMissingNamespaceIsRejectedAsKubernetesDoes() {
        assertThat(h.rejected(new ApplyDeployment(web("foo", 1))).reason()).isEqualTo("namespaces \"foo\" not found");
        assertThat(h.rejected(new ScaleDeployment("web", 1, "foo")).reason()).isEqualTo("deployment 'web' not found in namespace 'foo'");
        assertThat(h.rejected(new DeleteDeployment("web", "foo")).target()).isEqualTo("foo/web");
        assertThat(h.state.deployments()).isEmpty();
    }

    @Test
    void theSameNameInAnotherNamespaceIsNotFound() {
        namespace("shop");
        h.accepted(new ApplyDeployment(web("shop", 1)));
        assertThat(h.rejected(new ScaleDeployment("web", 2)).reason()).isEqualTo("deployment 'web' not found");
    }

    @Test
    void creatingANamespaceTwiceChangesNothing() {
        assertThat(h.command(new ApplyNamespace("shop"))).first().isEqualTo(new NamespaceApplied("shop"));
        assertThat(h.command(new ApplyNamespace("shop"))).singleElement()
                .satisfies(e -> assertThat(h.accepted(new ApplyNamespace("shop")).message()).isEqualTo("namespace shop unchanged"));
        assertThat(h.accepted(new ApplyNamespace("default")).message()).isEqualTo("namespace default unchanged");
        assertThat(h.state.namespaces().keySet()).containsExactly("default", "shop");
    }

    @Test
    void namespaceNamesAreDnsLabels() {
        assertThat(h.rejected(new ApplyNamespace("Shop")).reason()).contains("is not a DNS-1123 label");
        assertThat(h.rejected(new ApplyNamespace("a".repeat(64))).reason()).contains("at most 63");
        h.accepted(new ApplyNamespace("a".repeat(63)));
    }

    @Test
    void theDefaultNamespaceCannotBeDeleted() {
        assertThat(h.rejected(new DeleteNamespace("default")).reason())
                .isEqualTo("namespaces \"default\" is forbidden: this namespace may not be deleted");
        assertThat(h.state.namespace("default")).isPresent();
    }

    @Test
    void deletingAMissingNamespaceIsRejected() {
        assertThat(h.rejected(new DeleteNamespace("foo")).reason()).isEqualTo("namespaces \"foo\" not found");
    }

    @Test
    void deletingANamespaceDeletesItsDeploymentsAndTheirPods() {
        namespace("shop");
        h.accepted(new ApplyDeployment(web("shop", 2)));
        h.accepted(new ApplyDeployment(Samples.deployment("api", 1).inNamespace("shop")));
        h.accepted(new ApplyDeployment(web("default", 1)));
        h.reconcile();
        nodesDoWhatTheyAreAsked();

        List<Event> events = h.command(new DeleteNamespace("shop"));

        assertThat(events).startsWith(new NamespaceDeleted("shop"), new DeploymentDeleted("api", 1, "shop"),
                new DeploymentDeleted("web", 1, "shop"));
        assertThat(h.accepted(new DeleteNamespace("shop")).message()).isEqualTo("namespace shop already terminating");
        assertThat(h.state.namespace("shop").orElseThrow().phase()).isEqualTo("Terminating");
        assertThat(h.state.deploymentsIn("shop")).isEmpty();

        List<Event> reconciled = h.reconcile();
        assertThat(Harness.deletions(reconciled)).hasSize(3).allSatisfy(d -> assertThat(d.namespace()).isEqualTo("shop"));
        assertThat(Harness.created(reconciled)).isEmpty();
        assertThat(h.live("web")).hasSize(1);

        nodesDoWhatTheyAreAsked();
        assertThat(h.state.namespace("shop")).as("gone once its last pod stopped").isEmpty();
        assertThat(h.state.pods()).hasSize(1);
    }

    @Test
    void aTerminatingNamespaceRefusesNewObjectsAndCannotBeCreatedAgainYet() {
        namespace("shop");
        h.accepted(new ApplyDeployment(web("shop", 1)));
        h.reconcile();
        nodesDoWhatTheyAreAsked();
        h.accepted(new DeleteNamespace("shop"));

        assertThat(h.rejected(new ApplyDeployment(web("shop", 1))).reason())
                .isEqualTo("unable to create new content in namespace shop because it is being terminated");
        assertThat(h.rejected(new ApplyNamespace("shop")).reason()).isEqualTo("object is being deleted: namespaces \"shop\" already exists");

        h.reconcile();
        nodesDoWhatTheyAreAsked();
        namespace("shop");
        h.accepted(new ApplyDeployment(web("shop", 1)));
        assertThat(Harness.created(h.reconcile())).singleElement()
                .satisfies(c -> assertThat(c.pod()).as("serials go on: a new name").isNotEqualTo(h.log.stream()
                        .filter(e -> e.data() instanceof PodCreated).map(e -> ((PodCreated) e.data()).pod()).findFirst().orElseThrow()));
    }

    @Test
    void anEmptyNamespaceIsGoneAtOnce() {
        namespace("shop");
        h.accepted(new DeleteNamespace("shop"));
        assertThat(h.state.namespace("shop")).isEmpty();
        namespace("shop");
        assertThat(h.state.namespace("shop").orElseThrow().phase()).isEqualTo("Active");
    }

    @Test
    void rebuildingFromTheLogGivesTheSameNamespacesAndDeployments() {
        namespace("shop");
        namespace("blog");
        h.accepted(new ApplyDeployment(web("shop", 2)));
        h.accepted(new ApplyDeployment(web("blog", 1)));
        h.reconcile();
        nodesDoWhatTheyAreAsked();
        h.accepted(new DeleteNamespace("blog"));
        h.reconcile();

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);

        assertThat(rebuilt).isEqualTo(h.state);
        assertThat(rebuilt.namespace("blog").orElseThrow().terminating()).isTrue();
        assertThat(rebuilt.podsOf("shop/web")).hasSize(2);
    }

    @Test
    void recordsWrittenBeforeNamespacesRebuildTheDefaultNamespace() throws Exception {
        String template = "{\"image\":\"busybox\",\"resources\":{\"cpuMillis\":100,\"memoryBytes\":67108864},"
                + "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":10}";
        List<Envelope> old = List.of(
                Json.decodeValidated(envelope("DeploymentApplied",
                        "{\"deployment\":{\"name\":\"web\",\"replicas\":1,\"template\":" + template + "},\"generation\":1}")),
                Json.decodeValidated(envelope("PodCreated",
                        "{\"pod\":\"web-abcde\",\"deployment\":\"web\",\"generation\":1,\"template\":" + template + "}")));

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), old);

        assertThat(rebuilt.deployment("default", "web")).isPresent();
        assertThat(rebuilt.podsOf("web")).singleElement().satisfies(p -> assertThat(p.namespace()).isEqualTo("default"));
        assertThat(Reconciler.decide(rebuilt)).as("the old pod still counts as its replica").isEmpty();
        h.state = rebuilt;
        assertThat(h.accepted(new ScaleDeployment("web", 0)).message()).isEqualTo("deployment web scaled from 1 to 0");
    }

    private static String envelope(String type, String data) {
        return "{\"id\":\"" + type + "-1\",\"type\":\"" + type + "\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\","
                + "\"source\":\"controller\",\"correlationId\":\"c\",\"data\":" + data + "}";
    }
}
