package dev.berth.proxy.core;

import java.util.List;
import java.util.Optional;

/**
 * Everything the proxy needs about one Service, level-triggered: its cluster IP (null or "None"
 * for a headless Service, which gets no listener), its ports and all its endpoints, ready or not.
 * Each update replaces the previous one for the same key.
 */
public record ServiceEndpoints(ServiceKey key, String clusterIP, List<ServicePort> ports, List<Endpoint> endpoints)
        implements TableUpdate {
    public ServiceEndpoints {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    public ServiceEndpoints(String namespace, String name, String clusterIP, List<ServicePort> ports, List<Endpoint> endpoints) {
        this(new ServiceKey(namespace, name), clusterIP, ports, endpoints);
    }

    public Optional<ServicePort> port(String name) {
        return ports.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public boolean headless() {
        return clusterIP == null || clusterIP.isEmpty() || clusterIP.equals("None");
    }

    public ServiceEndpoints withEndpoints(List<Endpoint> endpoints) {
        return new ServiceEndpoints(key, clusterIP, ports, endpoints);
    }
}
