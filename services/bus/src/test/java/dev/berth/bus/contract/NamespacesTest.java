package dev.berth.bus.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Topic;
import org.junit.jupiter.api.Test;

/** Namespaces in the contract: keys, and records written before namespaces reading as the default namespace. */
class NamespacesTest {

    private static final String TEMPLATE = "{\"image\":\"nginx:1.27\",\"resources\":{\"cpuMillis\":100,\"memoryBytes\":67108864},"
            + "\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":10}";

    private static Envelope old(String type, String data) throws Exception {
        return Json.decodeValidated("{\"id\":\"e-1\",\"type\":\"" + type + "\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\","
                + "\"source\":\"controller\",\"correlationId\":\"e-1\",\"data\":" + data + "}");
    }

    @Test
    void keysAreTheBareNameInDefaultAndNamespaceSlashNameElsewhere() {
        assertThat(Namespaces.key("default", "web")).isEqualTo("web");
        assertThat(Namespaces.key(null, "web")).isEqualTo("web");
        assertThat(Namespaces.key("shop", "web")).isEqualTo("shop/web");
        assertThat(Namespaces.namespaceOf("shop/web")).isEqualTo("shop");
        assertThat(Namespaces.nameOf("shop/web")).isEqualTo("web");
        assertThat(Namespaces.namespaceOf("web")).isEqualTo("default");
        assertThat(Namespaces.nameOf("web")).isEqualTo("web");
    }

    @Test
    void oldDeploymentRecordsReadAsTheDefaultNamespace() throws Exception {
        DeploymentApplied applied = (DeploymentApplied) old("DeploymentApplied",
                "{\"deployment\":{\"name\":\"web\",\"replicas\":2,\"template\":" + TEMPLATE + "},\"generation\":1}").data();
        DeploymentScaled scaled = (DeploymentScaled) old("DeploymentScaled", "{\"name\":\"web\",\"replicas\":3,\"generation\":2}").data();
        DeploymentDeleted deleted = (DeploymentDeleted) old("DeploymentDeleted", "{\"name\":\"web\",\"generation\":2}").data();

        assertThat(applied.namespace()).isEqualTo("default");
        assertThat(applied.key()).isEqualTo("web");
        assertThat(scaled.namespace()).isEqualTo("default");
        assertThat(deleted.namespace()).isEqualTo("default");
        assertThat(Topic.DEPLOYMENTS.keyOf(scaled)).as("old keys stay valid").isEqualTo("web");
    }

    @Test
    void oldPodAndCommandRecordsReadAsTheDefaultNamespace() throws Exception {
        PodCreated created = (PodCreated) old("PodCreated",
                "{\"pod\":\"web-7d4kq\",\"deployment\":\"web\",\"generation\":1,\"template\":" + TEMPLATE + "}").data();
        PodDeletionRequested deleting = (PodDeletionRequested) old("PodDeletionRequested",
                "{\"pod\":\"web-7d4kq\",\"deployment\":\"web\",\"reason\":\"scaled down\"}").data();
        PodLost lost = (PodLost) old("PodLost", "{\"pod\":\"web-7d4kq\",\"deployment\":\"web\",\"node\":\"n1\",\"reason\":\"gone\"}").data();
        ScaleDeployment scale = (ScaleDeployment) old("ScaleDeployment", "{\"name\":\"web\",\"replicas\":3}").data();
        DeleteDeployment delete = (DeleteDeployment) old("DeleteDeployment", "{\"name\":\"web\"}").data();

        assertThat(created).isEqualTo(new PodCreated("web-7d4kq", "web", 1, created.template(), "default"));
        assertThat(deleting.namespace()).isEqualTo("default");
        assertThat(lost.namespace()).isEqualTo("default");
        assertThat(scale.target()).isEqualTo("web");
        assertThat(delete.target()).isEqualTo("web");
    }

    @Test
    void objectsInANamespaceAreKeyedByNamespaceAndName() {
        assertThat(new ScaleDeployment("web", 2, "shop").target()).isEqualTo("shop/web");
        assertThat(new DeleteDeployment("web", "shop").target()).isEqualTo("shop/web");
        DeploymentSpec spec = dev.berth.bus.Samples.deployment("web", 2).inNamespace("shop");
        assertThat(new ApplyDeployment(spec).target()).isEqualTo("shop/" + spec.name());
        assertThat(Topic.DEPLOYMENTS.keyOf(new DeploymentDeleted("web", 1, "shop"))).isEqualTo("shop/web");
        assertThat(Topic.DEPLOYMENTS.keyOf(new NamespaceDeleted("shop"))).isEqualTo("shop");
    }
}
