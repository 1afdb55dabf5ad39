package dev.berth.node.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.node.network.HostGwRoutes.Delete;
import dev.berth.node.network.HostGwRoutes.NodeRoute;
import dev.berth.node.network.HostGwRoutes.Replace;
import dev.berth.node.network.HostGwRoutes.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HostGwRoutesTest {
    private static final List<NodeRoute> NODES = List.of(
            new NodeRoute("node-1", "10.244.0.0/24", "192.168.1.11"),
            new NodeRoute("node-2", "10.244.1.0/24", "192.168.1.12"),
            new NodeRoute("node-3", "10.244.2.0/24", "192.168.1.13"));

    @Test
    void everyOtherNodesCidrIsRoutedViaItsAddress() {
        assertThat(HostGwRoutes.plan("node-1", "192.168.1.11", NODES, List.of())).containsExactly(
                new Replace(new Route("10.244.1.0/24", "192.168.1.12")),
                new Replace(new Route("10.244.2.0/24", "192.168.1.13")));
    }

    @Test
    void routesThatAreRightStayAndStaleOnesGo() {
        List<Route> current = List.of(new Route("10.244.1.0/24", "192.168.1.12"), new Route("10.244.2.0/24", "192.168.1.99"),
                new Route("10.244.9.0/24", "192.168.1.19"));
        assertThat(HostGwRoutes.plan("node-1", "192.168.1.11", NODES, current)).containsExactly(
                new Replace(new Route("10.244.2.0/24", "192.168.1.13")), new Delete("10.244.9.0/24"));
    }

    @Test
    void nodesWithoutCidrOrAddressOrOnThisHostOrUnparsableGetNoRoute() {
        List<NodeRoute> nodes = List.of(new NodeRoute("a", null, "192.168.1.2"), new NodeRoute("b", "10.244.5.0/24", null),
                new NodeRoute("local-2", "10.244.6.0/24", "192.168.1.11"), new NodeRoute("c", "10.244.7.0/24", "not-an-ip"),
                new NodeRoute("d", "10.244.8.1/24", "192.168.1.3"));
        assertThat(HostGwRoutes.plan("node-1", "192.168.1.11", nodes, List.of())).isEmpty();
    }

    @Test
    void ipRouteOutputIsParsed() {
        String out = "10.244.1.0/24 via 192.168.1.12 dev eth0 proto 199 \n10.244.2.0/24 via 192.168.1.13 dev eth0 proto 199 onlink\n10.9.9.9 via 1.2.3.4 dev x proto 199\n";
        assertThat(HostGwRoutes.parse(out)).containsExactly(new Route("10.244.1.0/24", "192.168.1.12"),
                new Route("10.244.2.0/24", "192.168.1.13"), new Route("10.9.9.9/32", "1.2.3.4"));
    }

    static LongStream seeds() { return LongStream.range(0, 200); }

    /** Applying the plan to the current routes gives exactly the desired ones, and planning again changes nothing. */
    @ParameterizedTest
    @MethodSource("seeds")
    void applyingThePlanConverges(long seed) {
        Random r = new Random(seed);
        List<NodeRoute> nodes = new ArrayList<>();
        for (int i = 0; i < r.nextInt(12); i++) {
            nodes.add(new NodeRoute("node-" + i, r.nextInt(6) == 0 ? null : "10.244." + i + ".0/24", r.nextInt(6) == 0 ? null : "192.168.1." + (10 + r.nextInt(5))));
        }
        List<Route> current = new ArrayList<>();
        for (int i = 0; i < r.nextInt(8); i++) current.add(new Route("10.244." + r.nextInt(15) + ".0/24", "192.168.1." + (10 + r.nextInt(5))));
        current = new ArrayList<>(current.stream().collect(java.util.stream.Collectors.toMap(Route::dst, x -> x, (a, b) -> a)).values());
        Collections.shuffle(nodes, r);
        List<HostGwRoutes.Change> plan = HostGwRoutes.plan("node-0", "192.168.1.10", nodes, current);
        java.util.Map<String, String> table = new java.util.TreeMap<>();
        current.forEach(x -> table.put(x.dst(), x.via()));
        for (HostGwRoutes.Change c : plan) {
            if (c instanceof Replace rep) table.put(rep.route().dst(), rep.route().via());
            if (c instanceof Delete d) table.remove(d.dst());
        }
        List<Route> after = table.entrySet().stream().map(e -> new Route(e.getKey(), e.getValue())).toList();
        assertThat(HostGwRoutes.plan("node-0", "192.168.1.10", nodes, after)).isEmpty();
        for (Route x : after) {
            assertThat(x.via()).isNotEqualTo("192.168.1.10");
            assertThat(nodes).anySatisfy(n -> {
                assertThat(n.podCidr()).isEqualTo(x.dst());
                assertThat(n.address()).isEqualTo(x.via());
            });
        }
    }
}
