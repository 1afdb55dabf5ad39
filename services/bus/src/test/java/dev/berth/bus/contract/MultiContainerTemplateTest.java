package dev.berth.bus.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Limits;
import dev.berth.bus.Samples;
import dev.berth.bus.Validation;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** containers[] and initContainers[]: both JSON shapes, the pod's resources, and Kubernetes' rules for them. */
class MultiContainerTemplateTest {
    static final long MI = Samples.MI;

    static Container container(String name, long cpu, long memory) {
        return Container.of(name, "busybox", List.of("sleep", "60"))
                .withResources(ResourceRequirements.of(new Resources(cpu, memory)));
    }

    static PodTemplate pod(List<Container> app, List<Container> init) {
        return Samples.template().withContainers(app).withInitContainers(init);
    }

    static List<String> problems(PodTemplate t) {
        return Validation.problems(new PodCreated("web-1", "web", 1, t));
    }

    @Test
    void anOldFlatTemplateReadsAsOneContainerNamedAfterItsDeployment() throws Exception {
        String env = "{\"id\":\"1\",\"type\":\"PodCreated\",\"version\":1,\"time\":\"2026-11-27T10:00:00Z\",\"source\":\"old\","
                + "\"data\":{\"pod\":\"web-7d4kq\",\"deployment\":\"web\",\"generation\":1,\"template\":{\"image\":\"busybox\","
                + "\"command\":[\"sleep\",\"9\"],\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}]}}}";

        Envelope e = Json.decodeValidated(env);
        PodTemplate t = ((PodCreated) e.data()).template();

        assertThat(Validation.problems(e)).isEmpty();
        assertThat(t.containers()).hasSize(1);
        assertThat(t.containerNames()).containsExactly("web");
        assertThat(t.image()).isEqualTo("busybox");
        assertThat(t.command()).containsExactly("sleep", "9");
        assertThat(t.ports()).extracting(ContainerPort::containerPort).containsExactly(80);
        assertThat(Json.decode(env).data()).isEqualTo(e.data());
    }

    @Test
    void theNewShapeWritesContainersAndReadsBack() throws Exception {
        PodTemplate t = pod(List.of(container("app", 100, 64 * MI), container("sidecar", 50, 32 * MI)),
                List.of(container("setup", 500, 16 * MI)));
        PodCreated created = new PodCreated("web-1", "web", 1, t);

        String json = Json.write(created);
        Envelope e = Json.decodeValidated(Json.encode(Envelope.command(created, "t", Instant.EPOCH)));

        assertThat(json).contains("\"containers\":[{\"name\":\"app\"").contains("\"initContainers\":[{\"name\":\"setup\"")
                .doesNotContain("\"template\":{\"image\"");
        assertThat(e.data()).isEqualTo(created);
        assertThat(problems(t)).isEmpty();
    }

    @Test
    void podRequestsAreTheSumOfContainersButAtLeastTheLargestInitContainer() {
        PodTemplate t = pod(List.of(container("app", 100, 64 * MI), container("sidecar", 50, 32 * MI)),
                List.of(container("setup", 500, 16 * MI), container("migrate", 20, 80 * MI)));

        assertThat(t.resources().requested()).isEqualTo(new Resources(500, 96 * MI));
        assertThat(t.resources().limits()).isEqualTo(ResourceList.of(500, 96 * MI));
    }

    @Test
    void oneUncappedContainerLeavesThePodUncapped() {
        Container uncapped = Container.of("sidecar", "busybox", List.of("sh"))
                .withResources(new ResourceRequirements(ResourceList.of(10, 8 * MI), ResourceList.NONE));
        PodTemplate t = pod(List.of(container("app", 100, 64 * MI), uncapped), List.of());

        assertThat(t.resources().requested()).isEqualTo(new Resources(110, 72 * MI));
        assertThat(t.resources().limits().cpuMillis()).isNull();
        assertThat(t.resources().limits().memoryBytes()).isNull();
    }

    @Test
    void portsAndImagesAreEveryContainers() {
        Container a = container("app", 1, 1).withPorts(List.of(new ContainerPort(80, "http", "TCP", 0))).withImage("app:v1");
        Container b = container("metrics", 1, 1).withPorts(List.of(new ContainerPort(9090, "metrics", "TCP", 0)));
        PodTemplate t = pod(List.of(a, b), List.of(container("setup", 1, 1).withImage("tools:v2")));

        assertThat(t.ports()).extracting(ContainerPort::name).containsExactly("http", "metrics");
        assertThat(t.images()).containsExactly("tools:v2", "app:v1", "busybox");
    }

    @Test
    void containerNamesMustBeUniqueLabels() {
        PodTemplate t = pod(List.of(container("app", 1, 1), container("app", 1, 1), container("Bad_Name", 1, 1)),
                List.of(container("app", 1, 1)));

        assertThat(problems(t)).anySatisfy(p -> assertThat(p).startsWith("/template/containers/0/name: Duplicate value: \"app\""))
                .anySatisfy(p -> assertThat(p).startsWith("/template/containers/2/name: 'Bad_Name' is not a DNS-1123 label"));
    }

    @Test
    void severalContainersMustBeNamed() {
        PodTemplate t = pod(List.of(container("app", 1, 1), container(null, 1, 1)), List.of());

        assertThat(problems(t)).contains("/template/containers/1/name: Required value");
    }

    @Test
    void portNamesAndHostPortsAreUniqueAcrossThePodsContainers() {
        Container a = container("a", 1, 1).withPorts(List.of(new ContainerPort(80, "http", "TCP", 8080)));
        Container b = container("b", 1, 1).withPorts(List.of(new ContainerPort(81, "http", "TCP", 8080)));

        assertThat(problems(pod(List.of(a, b), List.of())))
                .contains("/template/containers/1/ports/0/name: Duplicate value: \"http\"",
                        "/template/containers/1/ports/0/hostPort: Duplicate value: \"8080/TCP\"");
    }

    @Test
    void initContainersHaveNoProbes() {
        Probe probe = Samples.template().withReadinessProbe(null).readinessProbe();
        Container init = container("setup", 1, 1).withReadinessProbe(Probe.exec(List.of("true"), 10, 3));

        assertThat(probe).isNull();
        assertThat(problems(pod(List.of(container("app", 1, 1)), List.of(init))))
                .contains("/template/initContainers/0/readinessProbe: Forbidden: may not be set for init containers");
    }

    @Test
    void containerCountsAreBounded() {
        List<Container> many = new java.util.ArrayList<>();
        for (int i = 0; i <= Limits.CONTAINERS_MAX_ITEMS; i++) many.add(container("c" + i, 1, 1));

        assertThat(problems(pod(many, List.of()))).anySatisfy(p -> assertThat(p).startsWith("/template/containers: "));
        assertThat(problems(pod(Collections.emptyList(), List.of()))).anySatisfy(p -> assertThat(p).startsWith("/template/containers: Required value"));
    }

    @Test
    void aSingleContainersProblemsKeepTheirFlatPaths() {
        assertThat(problems(Samples.template().withImagePullPolicy("Sometimes")))
                .anySatisfy(p -> assertThat(p).startsWith("/template/imagePullPolicy: must be Always"));
    }
}
