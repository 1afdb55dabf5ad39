package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryPodNetworkingTest {
    @Test
    void hollowPodsGetUniqueAddressesOfTheRangeLikeHostLocal() throws Exception {
        InMemoryPodNetworking n = new InMemoryPodNetworking("hollow-1", "10.244.7.0/29");
        Set<String> ips = new HashSet<>();
        for (int i = 0; i < 5; i++) ips.add(n.setUp("p" + i, List.of()).podIP());
        assertThat(ips).containsExactlyInAnyOrder("10.244.7.2", "10.244.7.3", "10.244.7.4", "10.244.7.5", "10.244.7.6");
        assertThatThrownBy(() -> n.setUp("p5", List.of())).isInstanceOfSatisfying(CniException.class,
                e -> assertThat(e.getMessage()).contains("no IP addresses available in range set: 10.244.7.0/29"));
        assertThat(n.setUp("p1", List.of()).outcome()).isEqualTo(PodNetwork.Outcome.ADOPTED);
        n.tearDown("p1");
        assertThat(n.setUp("p5", List.of()).podIP()).isEqualTo("10.244.7.3");
        assertThat(n.pods()).containsExactly("p0", "p2", "p3", "p4", "p5");
        assertThat(n.setUp("p0", List.of()).result().podIPv4("eth0")).contains("10.244.7.2");
        assertThat(n.known("p0")).hasValueSatisfying(k -> assertThat(k.podIP()).isEqualTo("10.244.7.2"));
        assertThat(n.known("p1")).isEmpty();
        assertThat(n.tearDownAll()).isEmpty();
        assertThat(n.pods()).isEmpty();
    }

    @Test
    void onlyPortsWithAHostPortArePublished() {
        assertThat(PortMapping.ofContainerPort(null, 80, "TCP", null)).isEmpty();
        assertThat(PortMapping.ofContainerPort(0, 80, "TCP", null)).isEmpty();
        assertThat(PortMapping.ofContainerPort(8080, 80, null, null)).contains(PortMapping.tcp(8080, 80));
    }
}
