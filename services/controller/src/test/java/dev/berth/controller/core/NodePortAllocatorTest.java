package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class NodePortAllocatorTest {
    private static List<Integer> ports(Integer... p) { return Arrays.asList(p); }

    @Test
    void chosenPortsComeFromTheUpperBandGivenOnesAreHonoured() {
        NodePortAllocator a = NodePortAllocator.defaults();
        assertThat(a.staticBand()).isEqualTo(86);
        NodePortAllocator.Outcome web = a.assign("default/web", ports(null, 30080));
        assertThat(web.ok()).isTrue();
        assertThat(web.nodePorts()).containsExactly(30086, 30080);
        assertThat(web.allocator().portsOf("default/web")).containsExactly(30086, 30080);
        assertThat(web.allocator().assign("default/api", ports(0)).nodePorts()).containsExactly(30087);
    }

    @Test
    void aClashIsRejectedWithKubernetesMessageAndNothingChanges() {
        NodePortAllocator a = NodePortAllocator.defaults().assign("default/web", ports(30080)).allocator();
        NodePortAllocator.Outcome clash = a.assign("default/api", ports(null, 30080));
        assertThat(clash.ok()).isFalse();
        assertThat(clash.reasons()).containsExactly("spec.ports[1].nodePort: Invalid value: 30080: provided port is already allocated");
        assertThat(clash.allocator()).isEqualTo(a);
        assertThat(clash.nodePorts()).isEmpty();
    }

    @Test
    void outOfRangeAndDuplicatePortsAreRejectedEachWithItsField() {
        NodePortAllocator.Outcome o = NodePortAllocator.defaults().assign("default/web", ports(80, 30100, 30100, 40000));
        assertThat(o.reasons()).containsExactly(
                "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767",
                "spec.ports[2].nodePort: Duplicate value: 30100",
                "spec.ports[3].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767");
    }

    @Test
    void reapplyingKeepsTheChosenPortsAndDroppedOnesAreReleased() {
        NodePortAllocator a = NodePortAllocator.defaults().assign("default/web", ports(null, null, null)).allocator();
        List<Integer> before = a.portsOf("default/web");
        NodePortAllocator.Outcome again = a.assign("default/web", ports(null, null));
        assertThat(again.nodePorts()).containsExactly(before.get(0), before.get(1));
        assertThat(again.allocator().allocated()).isEqualTo(2);
        assertThat(again.allocator().assign("default/other", ports(before.get(2))).ok()).isTrue();
        NodePortAllocator.Outcome moved = a.assign("default/web", ports(before.get(1), null));
        assertThat(moved.nodePorts()).containsExactly(before.get(1), before.get(0));
    }

    @Test
    void releaseFreesEveryPortOfTheService() {
        NodePortAllocator a = NodePortAllocator.defaults().assign("default/web", ports(30001, null)).allocator().release("default/web");
        assertThat(a.allocated()).isZero();
        assertThat(a.portsOf("default/web")).isEmpty();
    }

    @Test
    void aFullRangeIsAnsweredWithAReason() {
        NodePortAllocator a = NodePortAllocator.of(31000, 31003);
        NodePortAllocator.Outcome three = a.assign("a/x", ports(null, null, null));
        assertThat(three.nodePorts()).containsExactlyInAnyOrder(31000, 31001, 31002);
        NodePortAllocator.Outcome full = three.allocator().assign("a/y", ports(null, null));
        assertThat(full.reasons()).containsExactly("spec.ports[1].nodePort: Internal error: failed to allocate a nodePort: range is full (4 ports, 31000-31003)");
        assertThat(full.allocator()).isEqualTo(three.allocator());
        assertThatThrownBy(() -> NodePortAllocator.of(32000, 31000)).hasMessageContaining("invalid NodePort range");
    }

    static LongStream seeds() { return LongStream.range(0, 300); }

    /** Random Services asking for chosen and given ports: ports stay unique and in range, given ones are honoured or answered, a refusal changes nothing. */
    @ParameterizedTest
    @MethodSource("seeds")
    void propertiesHoldForRandomHistories(long seed) {
        Random r = new Random(seed);
        int min = 30000, max = switch (r.nextInt(3)) { case 0 -> 32767; case 1 -> 30000 + 20 + r.nextInt(60); default -> 30000 + 2 + r.nextInt(12); }; // tiny ranges: smaller than the static band
        NodePortAllocator a = NodePortAllocator.of(min, max);
        Map<String, List<Integer>> held = new HashMap<>();
        for (int step = 0; step < 80; step++) {
            String svc = "ns/s" + r.nextInt(15);
            if (r.nextInt(8) == 0) {
                a = a.release(svc);
                held.remove(svc);
            } else {
                List<Integer> requested = new ArrayList<>();
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) requested.add(r.nextInt(3) == 0 ? min - 5 + r.nextInt(Math.min(max - min, 60) + 10) : null);
                NodePortAllocator.Outcome o = a.assign(svc, requested);
                if (o.ok()) {
                    assertThat(o.nodePorts()).hasSize(n);
                    for (int i = 0; i < n; i++) if (requested.get(i) != null) assertThat(o.nodePorts().get(i)).isEqualTo(requested.get(i));
                    held.put(svc, o.nodePorts());
                } else {
                    assertThat(o.allocator()).isEqualTo(a);
                    assertThat(o.reasons()).allSatisfy(reason -> assertThat(reason).startsWith("spec.ports["));
                    boolean explained = o.reasons().stream().anyMatch(x -> x.contains("range is full") || x.contains("Duplicate value")
                            || x.contains("not in the valid range") || x.contains("already allocated"));
                    assertThat(explained).isTrue();
                }
                a = o.allocator();
            }
            Set<Integer> all = new HashSet<>();
            int count = 0;
            for (Map.Entry<String, List<Integer>> e : held.entrySet()) {
                assertThat(a.portsOf(e.getKey())).isEqualTo(e.getValue());
                for (int p : e.getValue()) {
                    assertThat(p).isBetween(min, max);
                    all.add(p);
                    count++;
                }
            }
            assertThat(all).hasSize(count);
            assertThat(a.allocated()).isEqualTo(count);
        }
    }
}
