package dev.berth.cli;

import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code berth describe service/NAME}: kubectl's fields, and why there are no endpoints when there are none. */
final class ServiceDescription {
    private ServiceDescription() {}

    private static final int WIDTH = 26;

    /** The Service's description, or null when the view holds no such Service. */
    static String describe(ClusterView view, String namespace, String name) {
        ClusterView.ServiceRow s = view.service(namespace, name);
        if (s == null) return null;
        StringBuilder out = new StringBuilder();
        field(out, "Name", s.spec.name());
        field(out, "Namespace", s.namespace());
        field(out, "Labels", Selection.column(s.spec.labels()));
        field(out, "Selector", Selection.column(s.spec.selector()));
        field(out, "Type", s.spec.type());
        field(out, "IP", s.spec.clusterIP() == null ? "<pending>" : s.spec.clusterIP());
        List<EndpointAddress> ready = s.addresses(true), notReady = s.addresses(false);
        for (ServicePort p : s.spec.ports()) {
            String portName = p.name() == null ? "<unset>" : p.name();
            field(out, "Port", portName + "  " + p.port() + "/" + p.protocol());
            field(out, "TargetPort", ServiceTables.target(p));
            if (p.nodePort() > 0) field(out, "NodePort", portName + "  " + p.nodePort() + "/" + p.protocol());
            field(out, "Endpoints", join(addresses(ready, p)));
        }
        field(out, "NotReadyEndpoints", join(ServiceTables.addressList(notReady)));
        if (ready.isEmpty()) field(out, "No endpoints", why(view, s, notReady.size()));
        return out.toString();
    }

    /** Why no pod serves the Service: no selector, no pod matches it in the namespace, or none of those that match is ready. */
    static String why(ClusterView view, ClusterView.ServiceRow s, int notReady) {
        Map<String, String> selector = s.spec.selector();
        if (selector.isEmpty()) return "the Service has no selector, so Berth manages no endpoints for it";
        long matching = view.pods().stream()
                .filter(p -> p.namespace.equals(s.namespace()) && !p.deleting && s.spec.selects(p.labels())).count();
        if (matching == 0) {
            // A selector reaches only its own namespace; say so when the pods it names live elsewhere.
            Map<String, Long> elsewhere = new java.util.TreeMap<>(view.pods().stream()
                    .filter(p -> !p.namespace.equals(s.namespace()) && !p.deleting && s.spec.selects(p.labels()))
                    .collect(java.util.stream.Collectors.groupingBy(p -> p.namespace, java.util.stream.Collectors.counting())));
            String others = elsewhere.isEmpty() ? "" : " (" + String.join(", ", elsewhere.entrySet().stream()
                    .map(e -> e.getValue() + (e.getValue() == 1 ? " pod" : " pods") + " in namespace " + e.getKey() + " "
                            + (e.getValue() == 1 ? "matches" : "match") + " it")
                    .toList()) + "; a Service selects pods of its own namespace only)";
            return "no pod in namespace " + s.namespace() + " matches the selector " + Selection.column(selector) + others;
        }
        return matching + (matching == 1 ? " pod matches" : " pods match") + " the selector but none is ready"
                + (notReady > 0 ? " (see NotReadyEndpoints; a readiness probe fails or the pod is not running)" : " (not running, or no IP yet)");
    }

    /** ip:port of each address for this Service port; an address lacking the port's named target is left out. */
    private static List<String> addresses(List<EndpointAddress> addresses, ServicePort p) {
        List<String> out = new ArrayList<>();
        for (EndpointAddress a : addresses) {
            Integer port = a.targetPorts().get(p.nameOrEmpty());
            if (a.ip() != null && port != null) out.add(a.ip() + ":" + port);
        }
        return out;
    }

    private static String join(List<String> addresses) { return addresses.isEmpty() ? "<none>" : String.join(",", addresses); }

    private static void field(StringBuilder out, String name, String value) {
        String label = name + ":";
        out.append(label).append(" ".repeat(Math.max(1, WIDTH - label.length()))).append(value).append('\n');
    }
}
