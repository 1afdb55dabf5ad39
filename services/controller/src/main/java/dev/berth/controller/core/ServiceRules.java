package dev.berth.controller.core;

import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * What Kubernetes checks about a Service beyond its shape (bus Validation did that), in its words, and the
 * allocation of its addresses: a cluster IP from the service CIDR, nodePorts from the nodePort range.
 */
public final class ServiceRules {
    private ServiceRules() {}

    /** The spec with its addresses filled in, or why it cannot be accepted. */
    public record Allocated(ServiceSpec spec, List<String> problems) {
        public boolean ok() { return problems.isEmpty(); }
    }

    /** Rules that need no state: headless NodePort, nodePorts on a ClusterIP Service. */
    static List<String> check(ServiceSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec.headless() && spec.nodePorts()) {
            problems.add("spec.clusterIP: Invalid value: \"None\": may not be set to 'None' for LoadBalancer or NodePort services");
        }
        if (!spec.nodePorts()) {
            for (int i = 0; i < spec.ports().size(); i++) {
                if (spec.ports().get(i).nodePort() != 0) {
                    problems.add("spec.ports[" + i + "].nodePort: Forbidden: may not be used when `type` is '" + spec.type() + "'");
                }
            }
        }
        return problems;
    }

    /** The cluster IP may not change once set (Kubernetes: a Service is re-created to get another). */
    static List<String> update(ServiceSpec before, ServiceSpec after) {
        if (after.clusterIP() == null || after.clusterIP().equals(before.clusterIP())) return List.of();
        return List.of("spec.clusterIP: Invalid value: \"" + after.clusterIP() + "\": field is immutable");
    }

    /**
     * Allocates the addresses of {@code spec} against {@code state}: its cluster IP (the one it holds when
     * none is asked for), and for a NodePort Service a nodePort per port (those it holds kept unless others are asked for).
     */
    static Allocated allocate(ControllerState state, ServiceSpec spec) {
        String owner = ServiceRecord.owner(spec.namespace(), spec.name());
        ClusterIpAllocator.Outcome ip = state.clusterIps().assign(owner, spec.clusterIP());
        if (ip.reason().isPresent()) return new Allocated(spec, List.of(ip.reason().get()));
        ServiceSpec withIP = spec.withClusterIP(ip.clusterIP().orElseThrow());
        if (!spec.nodePorts()) return new Allocated(withIP, List.of());
        NodePortAllocator.Outcome ports = state.nodePorts().assign(owner, spec.ports().stream().map(ServicePort::nodePort).toList());
        if (!ports.ok()) return new Allocated(spec, ports.reasons());
        List<ServicePort> filled = new ArrayList<>();
        for (int i = 0; i < spec.ports().size(); i++) filled.add(spec.ports().get(i).withNodePort(ports.nodePorts().get(i)));
        return new Allocated(withIP.withPorts(filled), List.of());
    }

    static String notFound(String name) { return "services \"" + name + "\" not found"; }

}
