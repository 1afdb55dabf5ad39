package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class PodCidrAllocatorTest {

    @Test
    void nodesGetConsecutive24sOfTheClusterCidrInTheOrderTheyAreFirstSeen() {
        PodCidrAllocator a = PodCidrAllocator.defaults();
        List<String> got = new ArrayList<>();
        for (String node : List.of("node-2", "node-1", "node-3")) {
            PodCidrAllocator.Outcome o = a.allocate(node);
            assertThat(o.changed()).isTrue();
            got.add(o.podCidr().orElseThrow());
            a = o.allocator();
        }
        assertThat(got).containsExactly("10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24");
        assertThat(a.podCidrOf("node-1")).contains("10.244.1.0/24");
        assertThat(a.podCidrOf("node-9")).isEmpty();
    }

    @Test
    void aNodeAskingAgainKeepsItsBlockAndChangesNothing() {
        PodCidrAllocator a = PodCidrAllocator.defaults().allocate("node-1").allocator();
        PodCidrAllocator.Outcome again = a.allocate("node-1");
        assertThat(again.changed()).isFalse();
        assertThat(again.allocator()).isEqualTo(a);
        assertThat(again.podCidr()).contains("10.244.0.0/24");
    }

    @ParameterizedTest
    @CsvSource({
            "10.244.0.0/16, 24, 256, 10.244.255.0/24",
            "10.0.0.0/8, 24, 65536, 10.255.255.0/24",
            "10.0.0.0/24, 26, 4, 10.0.0.192/26",
            "192.168.0.0/20, 25, 32, 192.168.15.128/25",
            "10.1.2.0/30, 30, 1, 10.1.2.0/30",
    })
    void capacityAndTheLastBlockFollowTheMasks(String cluster, int mask, long capacity, String last) {
        PodCidrAllocator a = PodCidrAllocator.of(cluster, mask);
        assertThat(a.capacity()).isEqualTo(capacity);
        if (capacity <= 4096) {
            String lastGot = null;
            for (int i = 0; i < capacity; i++) {
                PodCidrAllocator.Outcome o = a.allocate("n" + i);
                lastGot = o.podCidr().orElseThrow();
                a = o.allocator();
            }
            assertThat(lastGot).isEqualTo(last);
            PodCidrAllocator.Outcome full = a.allocate("one-too-many");
            assertThat(full.podCidr()).isEmpty();
            assertThat(full.allocator()).isEqualTo(a);
            assertThat(full.reason()).contains("CIDRNotAvailable: no pod CIDR left for node one-too-many: all " + capacity + " /" + mask
                    + " blocks of cluster CIDR " + cluster + " are allocated");
        }
    }

    @Test
    void badConfigurationsAreRefusedWithTheirReason() {
        assertThatThrownBy(() -> PodCidrAllocator.of("10.244.0.0/16", 8)).hasMessageContaining("node mask /8 is larger than the cluster CIDR 10.244.0.0/16");
        assertThatThrownBy(() -> PodCidrAllocator.of("10.244.0.0/16", 31)).hasMessageContaining("leaves no room for pods");
        assertThatThrownBy(() -> PodCidrAllocator.of("10.0.0.0/8", 26)).hasMessageContaining("more than 2^16 node blocks");
        assertThatThrownBy(() -> PodCidrAllocator.of("10.244.1.0/16", 24)).hasMessageContaining("host bits set in 10.244.1.0/16 (did you mean 10.244.0.0/16?)");
        assertThatThrownBy(() -> PodCidrAllocator.of("10.244.0.0", 24)).hasMessageContaining("no /prefix");
        assertThatThrownBy(() -> PodCidrAllocator.of("10.244.0.0/x", 24)).hasMessageContaining("not a CIDR");
        assertThatThrownBy(() -> PodCidrAllocator.of("300.244.0.0/16", 24)).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void restoreTakesPublishedBlocksAndAnswersConflicts() {
        PodCidrAllocator a = PodCidrAllocator.defaults().restore("node-7", "10.244.5.0/24").allocator();
        assertThat(a.podCidrOf("node-7")).contains("10.244.5.0/24");
        assertThat(a.allocate("node-1").podCidr()).contains("10.244.0.0/24");
        assertThat(a.restore("node-7", "10.244.5.0/24").changed()).isFalse();
        assertThat(a.restore("node-8", "10.244.5.0/24").reason()).contains("pod CIDR 10.244.5.0/24 of node node-8 is already allocated to node node-7");
        assertThat(a.restore("node-8", "10.245.0.0/24").reason()).contains("pod CIDR 10.245.0.0/24 of node node-8 is not a /24 block of cluster CIDR 10.244.0.0/16");
        assertThat(a.restore("node-8", "10.244.0.0/25").reason()).contains("pod CIDR 10.244.0.0/25 of node node-8 is not a /24 block of cluster CIDR 10.244.0.0/16");
        assertThat(a.restore("node-8", "garbage").reason()).hasValueSatisfying(r -> assertThat(r).startsWith("pod CIDR garbage of node node-8 is not a CIDR"));
        PodCidrAllocator moved = a.restore("node-7", "10.244.9.0/24").allocator();
        assertThat(moved.podCidrOf("node-7")).contains("10.244.9.0/24");
        assertThat(moved.allocate("x").podCidr()).contains("10.244.0.0/24");
        assertThat(moved.restore("other", "10.244.5.0/24").podCidr()).as("the old block is free again").contains("10.244.5.0/24");
    }

    @Test
    void aReleasedBlockIsTheNextToGo() {
        PodCidrAllocator a = PodCidrAllocator.defaults();
        for (String n : List.of("a", "b", "c")) a = a.allocate(n).allocator();
        a = a.release("b").release("nobody");
        assertThat(a.allocated()).isEqualTo(2);
        assertThat(a.allocate("d").podCidr()).contains("10.244.1.0/24");
    }

    static LongStream seeds() { return LongStream.range(0, 300); }

    /**
     * Any sequence of allocations, restores and releases: blocks are distinct, inside the cluster CIDR and
     * of the node mask; each new block is the lowest free one; exhaustion only when full; and folding the
     * published (node, CIDR) pairs in any order rebuilds the same allocator, which then decides the same.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void propertiesHoldForRandomHistories(long seed) {
        Random r = new Random(seed);
        String[][] configs = {{"10.244.0.0/16", "24"}, {"10.0.0.0/24", "27"}, {"172.16.0.0/22", "26"}, {"10.9.0.0/28", "30"}};
        String[] config = configs[r.nextInt(configs.length)];
        PodCidrAllocator a = PodCidrAllocator.of(config[0], Integer.parseInt(config[1]));
        Ipv4Range cluster = Ipv4Range.parse(config[0]);
        int mask = Integer.parseInt(config[1]);
        int nodes = 1 + r.nextInt((int) Math.min(a.capacity() + 4, 40));
        Map<String, String> published = new LinkedHashMap<>();
        for (int step = 0; step < 80; step++) {
            String node = "node-" + r.nextInt(nodes);
            int op = r.nextInt(10);
            if (op < 7) {
                Set<Long> takenBefore = taken(a, published, cluster, mask);
                PodCidrAllocator.Outcome o = a.allocate(node);
                if (published.containsKey(node)) {
                    assertThat(o.podCidr()).contains(published.get(node));
                    assertThat(o.changed()).isFalse();
                } else if (takenBefore.size() == a.capacity()) {
                    assertThat(o.reason()).isPresent();
                    assertThat(o.allocator()).isEqualTo(a);
                } else {
                    long index = cluster.offsetOf(Ipv4Range.parse(o.podCidr().orElseThrow()).network()) >>> (32 - mask);
                    long lowest = 0;
                    while (takenBefore.contains(lowest)) lowest++;
                    assertThat(index).isEqualTo(lowest);
                    published.put(node, o.podCidr().get());
                }
                a = o.allocator();
            } else if (op < 9) {
                String cidr = cluster.block(r.nextInt((int) a.capacity()), mask).toString();
                PodCidrAllocator.Outcome o = a.restore(node, cidr);
                boolean heldByOther = published.entrySet().stream().anyMatch(e -> e.getValue().equals(cidr) && !e.getKey().equals(node));
                assertThat(o.reason().isPresent()).isEqualTo(heldByOther);
                if (!heldByOther) published.put(node, cidr);
                a = o.allocator();
            } else {
                a = a.release(node);
                published.remove(node);
            }
            assertThat(a.allocated()).isEqualTo(published.size());
            Set<String> distinct = new HashSet<>(published.values());
            assertThat(distinct).hasSameSizeAs(published.values());
            for (Map.Entry<String, String> e : published.entrySet()) {
                assertThat(a.podCidrOf(e.getKey())).contains(e.getValue());
                Ipv4Range b = Ipv4Range.parse(e.getValue());
                assertThat(b.prefix()).isEqualTo(mask);
                assertThat(cluster.contains(b.network())).isTrue();
            }
        }
        List<Map.Entry<String, String>> shuffled = new ArrayList<>(published.entrySet());
        Collections.shuffle(shuffled, r);
        PodCidrAllocator rebuilt = PodCidrAllocator.of(config[0], mask);
        for (Map.Entry<String, String> e : shuffled) rebuilt = rebuilt.restore(e.getKey(), e.getValue()).allocator();
        assertThat(rebuilt).isEqualTo(a);
        assertThat(rebuilt.allocate("newcomer")).isEqualTo(a.allocate("newcomer"));
    }

    private static Set<Long> taken(PodCidrAllocator a, Map<String, String> published, Ipv4Range cluster, int mask) {
        Set<Long> t = new HashSet<>();
        for (String c : published.values()) t.add(cluster.offsetOf(Ipv4Range.parse(c).network()) >>> (32 - mask));
        return t;
    }
}
