package dev.berth.controller.core;

import dev.berth.bus.contract.ServiceSpec;

/** A Service as accepted: its spec with the cluster IP and nodePorts the controller allocated filled in. */
public record ServiceRecord(ServiceSpec spec) {
    public String key() { return spec.key(); }

    /** Who holds its addresses in the allocators: always namespace/name, so {@code default/kubernetes} is the reserved one. */
    public static String owner(String namespace, String name) { return dev.berth.bus.contract.Namespaces.orDefault(namespace) + "/" + name; }

    public String owner() { return owner(spec.namespace(), spec.name()); }
}
