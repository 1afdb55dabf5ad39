package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.contract.Taint;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMarksTest {

    @Test
    void labelsAndTaintsPerNode() {
        NodeMarks marks = NodeMarks.parse(
                List.of("node-1=topology.kubernetes.io/zone=a,disk=ssd", "node-2=zone=b"),
                List.of("node-2=dedicated=gpu:NoSchedule,maintenance", "node-3=team=ml"));

        assertThat(marks.labelsOf("node-1")).isEqualTo(Map.of("topology.kubernetes.io/zone", "a", "disk", "ssd"));
        assertThat(marks.labelsOf("node-2")).isEqualTo(Map.of("zone", "b"));
        assertThat(marks.labelsOf("node-9")).isEmpty();
        assertThat(marks.taintsOf("node-2")).containsExactly(new Taint("dedicated", "gpu", "NoSchedule"),
                new Taint("maintenance", "", "NoSchedule"));
        assertThat(marks.taintsOf("node-3")).containsExactly(new Taint("team", "ml", "NoSchedule"));
        assertThat(marks.taintsOf("node-1")).isEmpty();
    }

    @Test
    void describesANodeForTheStartupSummary() {
        NodeMarks marks = NodeMarks.parse(List.of("node-1=zone=a,disk=ssd"), List.of("node-1=dedicated=gpu"));
        assertThat(marks.describe("node-1")).isEqualTo(" (disk=ssd, zone=a; taints dedicated=gpu:NoSchedule)");
        assertThat(marks.describe("node-2")).isEmpty();
        assertThat(marks.nodes()).containsExactly("node-1");
    }

    @Test
    void badOptionsSayWhatIsWrong() {
        assertThatThrownBy(() -> NodeMarks.parse(List.of("node-1"), List.of()))
                .hasMessageContaining("--node-labels node-1: expected NODE=KEY=VALUE");
        assertThatThrownBy(() -> NodeMarks.parse(List.of("node-1=disk"), List.of()))
                .hasMessage("--node-labels node-1=disk: label 'disk' is not KEY=VALUE");
        assertThatThrownBy(() -> NodeMarks.parse(List.of(), List.of("node-2=dedicated=gpu:NoExecute")))
                .hasMessageContaining("effect 'NoExecute' is not supported");
        assertThatThrownBy(() -> NodeMarks.parse(List.of(), List.of("node-2==gpu")))
                .hasMessageContaining("a taint needs a key");
    }
}
