package dev.berth.node.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * host-gw routing between machines (flannel's host-gw backend, in small): every other node's pod CIDR is
 * routed via that node's address, so pods reach pods on other nodes with their own source addresses and no
 * encapsulation. Needs the nodes on one L2 segment (or a router that knows the routes); otherwise use an
 * overlay CNI such as flannel VXLAN through an operator config dir. Berth's routes carry their own route
 * protocol number ({@value #PROTO}), so a sync only ever touches its own routes. The plan is pure; {@link #sync}
 * applies it with iproute2.
 */
public final class HostGwRoutes {
    /** Route protocol marking Berth's routes (`ip route show proto 199`); not one of iproute2's named ones. */
    public static final int PROTO = 199;

    private HostGwRoutes() {}

    /** What the node topic says about a node: its pod CIDR and its address; either may be unknown yet (null). */
    public record NodeRoute(String node, String podCidr, String address) {}

    public record Route(String dst, String via) {}

    public sealed interface Change permits Replace, Delete {}
    public record Replace(Route route) implements Change {}
    public record Delete(String dst) implements Change {}

    /**
     * The changes that make {@code current} (Berth's routes now) equal the desired routes: one per other node
     * with a pod CIDR and an address different from this node's (nodes sharing this host are directly
     * connected through their bridges). In destination order, so the same inputs give the same commands.
     */
    public static List<Change> plan(String self, String selfAddress, Collection<NodeRoute> nodes, Collection<Route> current) {
        Map<String, String> desired = new TreeMap<>();
        for (NodeRoute n : nodes) {
            if (n.node().equals(self) || n.podCidr() == null || n.address() == null || n.address().equals(selfAddress)) continue;
            try {
                Ipv4Cidr.parse(n.podCidr());
                Ipv4Cidr.parseAddress(n.address());
            } catch (IllegalArgumentException bad) {
                continue; // never route what does not parse; the controller validated it before publishing
            }
            desired.put(n.podCidr(), n.address());
        }
        Map<String, String> now = new TreeMap<>();
        current.forEach(r -> now.put(r.dst(), r.via()));
        List<Change> changes = new ArrayList<>();
        desired.forEach((dst, via) -> {
            if (!via.equals(now.get(dst))) changes.add(new Replace(new Route(dst, via)));
        });
        now.keySet().stream().filter(dst -> !desired.containsKey(dst)).forEach(dst -> changes.add(new Delete(dst)));
        return changes;
    }

    /** Parses {@code ip -4 route show proto 199}: "10.244.2.0/24 via 192.0.2.2 dev eth0 ...". */
    public static List<Route> parse(String ipRouteOutput) {
        List<Route> routes = new ArrayList<>();
        for (String line : ipRouteOutput.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            for (int i = 1; i + 1 < f.length; i++) {
                if (f[i].equals("via")) {
                    String dst = f[0].contains("/") ? f[0] : f[0] + "/32";
                    routes.add(new Route(dst, f[i + 1]));
                    break;
                }
            }
        }
        return routes;
    }

    /** Reads Berth's routes, plans, applies. {@code hostNetns} null = this machine. Returns what changed. */
    public static List<Change> sync(String hostNetns, String self, String selfAddress, Collection<NodeRoute> nodes) throws IOException {
        List<Change> changes = plan(self, selfAddress, nodes, parse(HostCommands.check(ip(hostNetns, "-4", "route", "show", "proto", String.valueOf(PROTO)))));
        for (Change c : changes) {
            if (c instanceof Replace r) {
                HostCommands.check(ip(hostNetns, "route", "replace", r.route().dst(), "via", r.route().via(), "proto", String.valueOf(PROTO)));
            } else if (c instanceof Delete d) {
                HostCommands.check(ip(hostNetns, "route", "delete", d.dst(), "proto", String.valueOf(PROTO)));
            }
        }
        return changes;
    }

    /** Removes every Berth route (node agent stopping for good). */
    public static void removeAll(String hostNetns) throws IOException {
        sync(hostNetns, "", null, List.of());
    }

    private static List<String> ip(String hostNetns, String... args) {
        List<String> argv = new ArrayList<>(hostNetns == null ? List.of("ip") : List.of("ip", "-n", hostNetns));
        argv.addAll(List.of(args));
        return argv;
    }
}
