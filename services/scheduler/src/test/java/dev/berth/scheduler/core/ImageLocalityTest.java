package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.berth.bus.contract.ContainerImage;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.scheduler.core.plugins.ImageLocality;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubernetes' ImageLocality: size of the image on the node × share of nodes having it, 23 MB..1000 MB → 0..100. */
class ImageLocalityTest {
    static final long MB = 1024 * 1024;
    final SchedulerState state = new SchedulerState();

    private void node(String name, ContainerImage... images) {
        Appliers.heartbeat(state, standardNode(name).withContainerImages(List.of(images)), T0);
    }

    private static ContainerImage image(String ref, long bytes) {
        return new ContainerImage(List.of(ref, ref.replaceAll(":[^:/]+$", "") + "@sha256:" + "a".repeat(64)), bytes);
    }

    private double score(String image, String node) {
        PodRequest pod = new PodRequest("p", "web", new PodTemplate(image, List.of(), List.of(), Map.of(),
                new Resources(10, 10 * MB), "Always", 1));
        return new ImageLocality().forPod(pod, state).score(pod, state.view(state.node(node)));
    }

    @Test
    void scalesTheSizeByTheShareOfNodesHavingTheImage() {
        node("a", image("docker.io/library/nginx:1.27", 600 * MB));
        node("b", image("docker.io/library/nginx:1.27", 600 * MB));
        node("c");
        node("d");
        // 600 MB × 2/4 = 300 MB → 100 × (300 − 23) / (1000 − 23)
        assertThat(score("nginx:1.27", "a")).isCloseTo(100.0 * (300 - 23) / 977, within(1e-9));
        assertThat(score("docker.io/library/nginx:1.27", "b")).isEqualTo(score("nginx:1.27", "a"));
        assertThat(score("nginx:1.27", "c")).isZero();
        assertThat(score("nginx:1.25", "a")).as("another tag is another image").isZero();
    }

    @Test
    void thresholdsAre23And1000Megabytes() {
        node("a", image("docker.io/library/small:1", 20 * MB), image("docker.io/library/huge:1", 5000 * MB));
        assertThat(score("small:1", "a")).isZero();
        assertThat(score("huge:1", "a")).isEqualTo(100.0);
    }

    @Test
    void aNodeLosingTheImageStopsCountingAndAnUnknownOrBadImageScoresZero() {
        node("a", image("docker.io/library/app:1", 500 * MB));
        node("b", image("docker.io/library/app:1", 500 * MB));
        assertThat(state.nodesWithImage("docker.io/library/app:1")).isEqualTo(2);
        node("b");
        assertThat(state.nodesWithImage("docker.io/library/app:1")).isEqualTo(1);
        assertThat(score("app:1", "a")).isCloseTo(100.0 * (250 - 23) / 977, within(1e-9));
        node("a", image("docker.io/library/app:1", 500 * MB)); // the same images again: counted once
        assertThat(state.nodesWithImage("docker.io/library/app:1")).isEqualTo(1);
        assertThat(score("Bad:Ref", "a")).isZero();
        assertThat(score("other:1", "a")).isZero();
    }
}
