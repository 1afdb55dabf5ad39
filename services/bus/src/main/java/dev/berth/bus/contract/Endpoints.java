package dev.berth.bus.contract;

import java.util.List;

/**
 * Everything a node's proxy needs about one Service, level-triggered, on the compacted berth.endpoints keyed by
 * the Service's key: each record replaces the previous one, a tombstone (null value) means the Service is gone.
 * The controller's endpoints owner writes it whenever the Service or a selected pod's IP, readiness or labels change.
 */
public record Endpoints(String namespace, String name, String type, String clusterIP, List<ServicePort> ports,
                        List<EndpointAddress> endpoints) implements Event {
    public Endpoints {
        namespace = Namespaces.orDefault(namespace);
        ports = ports == null ? List.of() : List.copyOf(ports);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    public String key() { return Namespaces.key(namespace, name); }

    public long ready() { return endpoints.stream().filter(EndpointAddress::ready).count(); }
}
