package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterIpAllocatorTest {

    @Test
    void theFirstAddressIsTheKubernetesServicesAndChosenOnesComeFromTheUpperBand() {
        ClusterIpAllocator a = ClusterIpAllocator.defaults();
        assertThat(a.kubernetesServiceIP()).isEqualTo("10.96.0.1");
        ClusterIpAllocator.Outcome k = a.assign(ClusterIpAllocator.KUBERNETES_SERVICE, null);
        assertThat(k.clusterIP()).contains("10.96.0.1");
        ClusterIpAllocator.Outcome web = k.allocator().assign("default/web", null);
        assertThat(web.clusterIP()).contains("10.96.1.0");
        assertThat(web.allocator().assign("default/api", "").clusterIP()).contains("10.96.1.1");
        assertThat(a.capacity()).isEqualTo((1 << 20) - 3);
    }

    @Test
    void theKubernetesAddressIsNeverGivenToAnotherServiceEvenWhenAskedFor() {
        ClusterIpAllocator a = ClusterIpAllocator.of("10.0.0.0/28");
        for (int i = 0; i < 12; i++) {
            ClusterIpAllocator.Outcome o = a.assign("ns/s" + i, null);
            assertThat(o.clusterIP()).isPresent().get().isNotEqualTo("10.0.0.1").isNotEqualTo("10.0.0.0").isNotEqualTo("10.0.0.15")
                    .isNotEqualTo("10.0.0.10");
            a = o.allocator();
        }
        assertThat(a.assign("ns/full", null).reason()).contains("Internal error: failed to allocate a serviceIP: range is full (13 addresses of 10.0.0.0/28)");
        assertThat(a.assign("ns/x", "10.0.0.1").reason()).contains("spec.clusterIP: Invalid value: \"10.0.0.1\": provided IP is already allocated");
        assertThat(a.assign(ClusterIpAllocator.KUBERNETES_SERVICE, null).clusterIP()).contains("10.0.0.1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.1      | spec.clusterIP: Invalid value: \"10.0.0.1\": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12",
            "10.96.0.0     | spec.clusterIP: Invalid value: \"10.96.0.0\": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12",
            "10.111.255.255| spec.clusterIP: Invalid value: \"10.111.255.255\": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12",
            "10.96.0.300   | spec.clusterIP: Invalid value: \"10.96.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            "web           | spec.clusterIP: Invalid value: \"web\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
    })
    void badRequestedAddressesAreRejectedWithKubernetesMessages(String ip, String reason) {
        ClusterIpAllocator.Outcome o = ClusterIpAllocator.defaults().assign("default/web", ip.strip());
        assertThat(o.reason()).contains(reason.strip());
        assertThat(o.allocator()).isEqualTo(ClusterIpAllocator.defaults());
    }

    @Test
    void aRequestedAddressIsHonouredAndThenTakenForOthers() {
        ClusterIpAllocator.Outcome db = ClusterIpAllocator.defaults().assign("shop/db", "10.96.0.20");
        assertThat(db.clusterIP()).contains("10.96.0.20");
        assertThat(db.allocator().assign("shop/db", "10.96.0.20").clusterIP()).contains("10.96.0.20");
        assertThat(db.allocator().assign("default/web", "10.96.0.20").reason()).contains("spec.clusterIP: Invalid value: \"10.96.0.20\": provided IP is already allocated");
        ClusterIpAllocator released = db.allocator().release("shop/db");
        assertThat(released.assign("default/web", "10.96.0.20").clusterIP()).contains("10.96.0.20");
    }

    @Test
    void theClusterDnsAddressIsNeverGivenNorGrantedOnRequest() {
        ClusterIpAllocator a = ClusterIpAllocator.defaults();
        assertThat(a.dnsIP()).isEqualTo("10.96.0.10");
        assertThat(a.assign("kube-system/kube-dns", "10.96.0.10").reason())
                .contains("spec.clusterIP: Invalid value: \"10.96.0.10\": provided IP is already allocated");
        ClusterIpAllocator small = ClusterIpAllocator.of("10.0.0.0/28");
        for (int i = 2; i < 10; i++) small = small.assign("ns/fixed" + i, "10.0.0." + i).allocator(); // the lower band up to .9
        ClusterIpAllocator.Outcome next = small.assign("ns/chosen", null);
        assertThat(next.clusterIP()).contains("10.0.0.11"); // .10 skipped
    }

    @Test
    void headlessServicesHoldNoAddress() {
        ClusterIpAllocator a = ClusterIpAllocator.defaults().assign("default/db", null).allocator();
        ClusterIpAllocator.Outcome o = a.assign("default/db", ClusterIpAllocator.NONE);
        assertThat(o.clusterIP()).contains("None");
        assertThat(o.allocator().allocated()).isZero();
    }

    @Test
    void rangesOutsideKubernetesLimitsAreRefused() {
        assertThatThrownBy(() -> ClusterIpAllocator.of("10.0.0.0/8")).hasMessageContaining("too large");
        assertThatThrownBy(() -> ClusterIpAllocator.of("10.0.0.0/29")).hasMessageContaining("too small");
    }

    static LongStream seeds() { return LongStream.range(0, 300); }

    /** Random assigns (chosen, given, headless) and releases: addresses stay unique, usable and in range; replay decides the same. */
    @ParameterizedTest
    @MethodSource("seeds")
    void propertiesHoldForRandomHistories(long seed) {
        Random r = new Random(seed);
        String cidr = r.nextInt(3) == 0 ? "10.96.0.0/12" : "10.50.0.0/" + (26 + r.nextInt(3)); // small ranges fill up
        Ipv4Range range = Ipv4Range.parse(cidr);
        ClusterIpAllocator a = ClusterIpAllocator.of(cidr);
        ClusterIpAllocator replay = ClusterIpAllocator.of(cidr);
        Map<String, String> held = new HashMap<>();
        for (int step = 0; step < 250; step++) {
            String svc = r.nextInt(20) == 0 ? ClusterIpAllocator.KUBERNETES_SERVICE : "ns/s" + r.nextInt(80);
            int op = r.nextInt(10);
            if (op < 9) {
                String requested = switch (r.nextInt(4)) {
                    case 0 -> range.address(r.nextInt((int) Math.min(range.size(), 400)));
                    case 1 -> r.nextInt(5) == 0 ? ClusterIpAllocator.NONE : null;
                    default -> null;
                };
                ClusterIpAllocator.Outcome o = a.assign(svc, requested);
                assertThat(replay.assign(svc, requested)).as("deterministic").isEqualTo(o);
                if (o.clusterIP().isPresent()) {
                    String ip = o.clusterIP().get();
                    if (ip.equals("None")) {
                        held.remove(svc);
                    } else {
                        if (requested != null) assertThat(ip).isEqualTo(requested);
                        else if (held.containsKey(svc)) assertThat(ip).isEqualTo(held.get(svc));
                        held.put(svc, ip);
                    }
                } else {
                    assertThat(o.allocator()).isEqualTo(a);
                    assertThat(o.reason()).isPresent();
                    if (requested == null) assertThat(a.allocated()).isEqualTo(a.capacity() - (a.clusterIpOf(ClusterIpAllocator.KUBERNETES_SERVICE).equals(Optional.of(a.kubernetesServiceIP())) ? 0 : 1));
                }
                a = o.allocator();
                replay = o.allocator();
            } else {
                a = a.release(svc);
                replay = a;
                held.remove(svc);
            }
            assertThat(new HashSet<>(held.values())).hasSameSizeAs(held.values());
            assertThat(a.allocated()).isEqualTo(held.size());
            for (Map.Entry<String, String> e : held.entrySet()) {
                long offset = range.offsetOf(Ipv4Range.parseAddress(e.getValue()));
                assertThat(offset).isBetween(1L, range.size() - 2);
                if (offset == 1) assertThat(e.getKey()).isEqualTo(ClusterIpAllocator.KUBERNETES_SERVICE);
                assertThat(offset).isNotEqualTo(ClusterIpAllocator.DNS_OFFSET);
                assertThat(a.clusterIpOf(e.getKey())).isEqualTo(Optional.of(e.getValue()));
            }
        }
    }
}
