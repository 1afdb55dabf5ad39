package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.SecurityContext;
import dev.berth.node.core.NodeAction;
import dev.berth.node.runtime.ContainerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the runtime is asked to run for a start: the pod's process overrides travel with it. */
class PodAnnotationsTest {

    static PodTemplate template(String workingDir, SecurityContext context) {
        return new PodTemplate("busybox", List.of("httpd"), List.of("-f"), Map.of("A", "1"), null, null, 5, null, null, null,
                null, null, null, workingDir, context);
    }

    @Test
    void workingDirAndSecurityContextGoIntoTheSpec() {
        SecurityContext context = new SecurityContext(1000L, 2000L, true);
        ContainerSpec spec = PodAnnotations.spec(new NodeAction.StartContainer("web", template("/srv", context), 2, 1));
        assertThat(spec.workingDir()).isEqualTo("/srv");
        assertThat(spec.securityContext()).isEqualTo(context);
        assertThat(spec.command()).containsExactly("httpd");
        assertThat(spec.annotations()).containsEntry("dev.berth.restarts", "2").containsEntry("dev.berth.grace-seconds", "5");
        // and survive the network namespace being added
        assertThat(spec.withNetworkNamespace(java.nio.file.Path.of("/run/netns/x")).securityContext()).isEqualTo(context);
    }

    @Test
    void withoutThemTheImageDecides() {
        ContainerSpec spec = PodAnnotations.spec(new NodeAction.StartContainer("web", template(null, null), 0, 0));
        assertThat(spec.workingDir()).isNull();
        assertThat(spec.securityContext()).isNull();
    }
}
