package dev.berth.proxy.core;

import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.Namespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bus contract's view of a Service ({@link Endpoints} on berth.endpoints) as the proxy table's input. Pure: one
 * record in, one update out; the table's own {@link Validation} judges the result.
 */
public final class EndpointsMapping {
    /** Kubernetes' type whose ports also listen on every node's address. */
    public static final String NODE_PORT = "NodePort";

    private EndpointsMapping() {}

    /**
     * The Service's ports and every endpoint, ready or not. A port's name is "" when unnamed (the key the contract's
     * {@code targetPorts} use too); its nodePort counts only for a NodePort Service; "None" stays headless.
     */
    public static ServiceEndpoints update(Endpoints e) {
        boolean nodePorts = NODE_PORT.equals(e.type());
        List<ServicePort> ports = new ArrayList<>(e.ports().size());
        for (dev.berth.bus.contract.ServicePort p : e.ports()) {
            ports.add(new ServicePort(p.nameOrEmpty(), protocol(p.protocol()), p.port(), nodePorts ? p.nodePort() : 0,
                    p.appProtocol()));
        }
        List<Endpoint> endpoints = new ArrayList<>(e.endpoints().size());
        for (dev.berth.bus.contract.EndpointAddress a : e.endpoints()) {
            endpoints.add(new Endpoint(a.pod(), a.ip(), a.targetPorts(), a.ready()));
        }
        return new ServiceEndpoints(new ServiceKey(e.namespace(), e.name()), e.clusterIP(), ports, endpoints);
    }

    /** A tombstone under {@code key} ({@link Namespaces#key}: bare name in default, else namespace/name). */
    public static ServiceDeleted deleted(String key) {
        return new ServiceDeleted(serviceKey(key));
    }

    public static ServiceKey serviceKey(String key) {
        return new ServiceKey(Namespaces.namespaceOf(key), Namespaces.nameOf(key));
    }

    /** The record key the contract files a Service under. */
    public static String recordKey(ServiceKey key) {
        return Namespaces.key(key.namespace(), key.name());
    }

    private static Protocol protocol(String p) {
        return p == null ? Protocol.TCP : Protocol.valueOf(p.toUpperCase(Locale.ROOT));
    }
}
