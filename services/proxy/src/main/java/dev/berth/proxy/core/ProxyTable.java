package dev.berth.proxy.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The proxy's table: every Service it knows with all its endpoints, and the listeners that follow
 * from them. Immutable; {@link #apply} gives a new table and the listener changes that lead there.
 * An update that changes only endpoints changes no listener: connections already open are never
 * touched by the table, only new connections read it.
 *
 * @param nodeAddress where node ports listen (the node's address; 127.0.0.1 in the local stack)
 */
public record ProxyTable(String nodeAddress, int nodePortMin, int nodePortMax,
                         Map<ServiceKey, ServiceEndpoints> services, Map<Listener.Address, Listener> listeners) {
    public static final int NODE_PORT_MIN = 30000;
    public static final int NODE_PORT_MAX = 32767;
    /** Services one proxy holds: Kubernetes' tested scale is 10,000 per cluster. */
    public static final int MAX_SERVICES = 10_000;

    public ProxyTable {
        services = Map.copyOf(services);
        listeners = Map.copyOf(listeners);
    }

    public static ProxyTable empty(String nodeAddress) {
        return new ProxyTable(nodeAddress, NODE_PORT_MIN, NODE_PORT_MAX, Map.of(), Map.of());
    }

    public Optional<ServiceEndpoints> service(ServiceKey key) {
        return Optional.ofNullable(services.get(key));
    }

    /** The listeners a Service needs on this node: its cluster IP ports and its node ports. */
    public List<Listener> listenersOf(ServiceEndpoints s) {
        List<Listener> out = new ArrayList<>();
        for (ServicePort p : s.ports()) {
            if (!s.headless()) {
                out.add(new Listener(Listener.Kind.CLUSTER_IP, s.clusterIP(), p.port(), p.protocol(), s.key(), p.name()));
            }
            if (p.nodePort() != 0) {
                out.add(new Listener(Listener.Kind.NODE_PORT, nodeAddress, p.nodePort(), p.protocol(), s.key(), p.name()));
            }
        }
        return out;
    }

    public static Applied apply(ProxyTable table, TableUpdate update) {
        if (update instanceof ServiceEndpoints s) {
            return table.put(s);
        }
        return table.remove(update.key());
    }

    private Applied put(ServiceEndpoints s) {
        Optional<String> problem = Validation.problem(s, nodePortMin, nodePortMax);
        if (problem.isPresent()) {
            return Applied.rejected(this, s.key() + ": " + problem.get());
        }
        if (!services.containsKey(s.key()) && services.size() >= MAX_SERVICES) {
            return Applied.rejected(this, s.key() + ": the proxy already holds " + MAX_SERVICES + " Services");
        }
        List<Listener> wanted = listenersOf(s);
        for (Listener l : wanted) {
            Listener holder = listeners.get(l.address());
            if (holder != null && !holder.service().equals(s.key())) {
                String what = l.kind() == Listener.Kind.NODE_PORT ? "nodePort " : "cluster IP ";
                return Applied.rejected(this, s.key() + ": " + what + l.address() + " is already used by " + holder.service());
            }
        }
        Map<ServiceKey, ServiceEndpoints> nextServices = new HashMap<>(services);
        nextServices.put(s.key(), s);
        return withListeners(nextServices, s.key(), wanted);
    }

    private Applied remove(ServiceKey key) {
        if (!services.containsKey(key)) {
            return new Applied(this, List.of(), Optional.empty());
        }
        Map<ServiceKey, ServiceEndpoints> nextServices = new HashMap<>(services);
        nextServices.remove(key);
        return withListeners(nextServices, key, List.of());
    }

    /** Replaces one Service's listeners and derives the changes, closes before opens. */
    private Applied withListeners(Map<ServiceKey, ServiceEndpoints> nextServices, ServiceKey key, List<Listener> wanted) {
        Map<Listener.Address, Listener> next = new HashMap<>(listeners);
        next.values().removeIf(l -> l.service().equals(key));
        wanted.forEach(l -> next.put(l.address(), l));

        List<ListenerChange> changes = new ArrayList<>();
        Set<Listener> before = new LinkedHashSet<>(listeners.values());
        Set<Listener> after = new LinkedHashSet<>(next.values());
        listeners.values().stream().filter(l -> l.service().equals(key) && !after.contains(l))
                .sorted(ORDER).forEach(l -> changes.add(new ListenerChange.Close(l)));
        Set<String> ipsBefore = clusterIps(listeners.values());
        Set<String> ipsAfter = clusterIps(next.values());
        ipsBefore.stream().filter(ip -> !ipsAfter.contains(ip)).forEach(ip -> changes.add(new ListenerChange.RemoveAddress(ip)));
        ipsAfter.stream().filter(ip -> !ipsBefore.contains(ip)).forEach(ip -> changes.add(new ListenerChange.AddAddress(ip)));
        wanted.stream().filter(l -> !before.contains(l))
                .sorted(ORDER).forEach(l -> changes.add(new ListenerChange.Open(l)));
        return new Applied(new ProxyTable(nodeAddress, nodePortMin, nodePortMax, nextServices, next), changes, Optional.empty());
    }

    private static final java.util.Comparator<Listener> ORDER = java.util.Comparator
            .comparing(Listener::kind).thenComparing(Listener::host).thenComparingInt(Listener::port)
            .thenComparing(Listener::protocol);

    private static Set<String> clusterIps(java.util.Collection<Listener> ls) {
        Set<String> ips = new TreeSet<>();
        for (Listener l : ls) {
            if (l.kind() == Listener.Kind.CLUSTER_IP) {
                ips.add(l.host());
            }
        }
        return ips;
    }
}
