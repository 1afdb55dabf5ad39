package dev.berth.node.core;

import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.Namespaces;
import java.util.List;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * The Services the node knows, from the compacted berth.endpoints: what a container's Service environment
 * variables are made of. Only name, cluster IP and ports are kept (not the endpoints: they change often and
 * the variables do not use them). Immutable and persistent; bounded by {@link #MAX_SERVICES}.
 */
public record ServiceDirectory(PSortedMap<String, Endpoints> services) {
    /** Kubernetes' tested scale per cluster; beyond it new Services are not added (the proxy has the same cap). */
    public static final int MAX_SERVICES = 10_000;
    public static final ServiceDirectory EMPTY = new ServiceDirectory(TreePMap.empty());

    /** The Service as its latest record says (a record under its own key: the proxy's door checks the same). */
    public ServiceDirectory put(Endpoints e) {
        if (!services.containsKey(e.key()) && services.size() >= MAX_SERVICES) return this;
        Endpoints kept = new Endpoints(e.namespace(), e.name(), e.type(), e.clusterIP(), e.ports(), List.of());
        return new ServiceDirectory(services.plus(e.key(), kept));
    }

    /** A tombstone under {@code key}: the Service is gone. */
    public ServiceDirectory remove(String key) {
        return new ServiceDirectory(services.minus(key));
    }

    /** The Services of {@code namespace}, by name. */
    public List<Endpoints> in(String namespace) {
        String ns = Namespaces.orDefault(namespace);
        return services.values().stream().filter(e -> e.namespace().equals(ns)).toList();
    }

    public int size() { return services.size(); }
}
