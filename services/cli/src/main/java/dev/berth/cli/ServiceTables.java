package dev.berth.cli;

import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** {@code berth get services} and {@code berth get endpoints} as kubectl prints them. */
final class ServiceTables {
    private ServiceTables() {}

    /** kubectl shows this many addresses in the ENDPOINTS column, then "+ N more...". */
    static final int ENDPOINTS_SHOWN = 3;

    /** NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE; wide adds SELECTOR; -A NAMESPACE first, --show-labels LABELS last. */
    static String services(ClusterView view, Instant now, boolean wide, Selection selection, boolean showLabels, NamespaceOptions ns) {
        String[] headers = wide ? new String[] {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"}
                : new String[] {"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"};
        Table t = new Table(GetCommand.columns(ns, showLabels, headers));
        for (ClusterView.ServiceRow s : view.services()) {
            if (!ns.shows(s.namespace()) || !selection.test(s.spec.name(), s.spec.labels())) continue;
            ServiceSpec spec = s.spec;
            String ip = spec.clusterIP() == null ? "<pending>" : spec.clusterIP();
            List<String> cells = new ArrayList<>(List.of(spec.name(), spec.type(), ip, "<none>", ports(spec), GetCommand.age(s.created, now)));
            if (wide) cells.add(selector(spec.selector()));
            t.row(GetCommand.cells(ns, s.namespace(), showLabels, spec.labels(), cells.toArray(String[]::new)));
        }
        return t.render();
    }

    /** NAME ENDPOINTS AGE: the ready addresses only, as kubectl. */
    static String endpoints(ClusterView view, Instant now, Selection selection, boolean showLabels, NamespaceOptions ns) {
        Table t = new Table(GetCommand.columns(ns, showLabels, "NAME", "ENDPOINTS", "AGE"));
        for (ClusterView.ServiceRow s : view.services()) {
            if (!ns.shows(s.namespace()) || !selection.test(s.spec.name(), s.spec.labels())) continue;
            t.row(GetCommand.cells(ns, s.namespace(), showLabels, s.spec.labels(), s.spec.name(), endpointsColumn(s.addresses(true)),
                    GetCommand.age(s.created, now)));
        }
        return t.render();
    }

    /** kubectl's PORT(S): {@code 80:30080/TCP,9090/TCP}. */
    static String ports(ServiceSpec spec) {
        if (spec.ports().isEmpty()) return "<none>";
        return spec.ports().stream().map(p -> p.port() + (p.nodePort() > 0 ? ":" + p.nodePort() : "") + "/" + p.protocol())
                .collect(Collectors.joining(","));
    }

    /** kubectl's SELECTOR column: {@code app=web,tier=front} sorted by key, {@code <none>} when empty. */
    static String selector(Map<String, String> selector) {
        if (selector.isEmpty()) return "<none>";
        return new TreeMap<>(selector).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** {@code 10.244.0.5:8080,10.244.0.6:8080}, at most {@link #ENDPOINTS_SHOWN} then {@code + N more...}; {@code <none>}. */
    static String endpointsColumn(List<EndpointAddress> addresses) {
        List<String> all = addressList(addresses);
        if (all.isEmpty()) return "<none>";
        String shown = String.join(",", all.subList(0, Math.min(ENDPOINTS_SHOWN, all.size())));
        return all.size() > ENDPOINTS_SHOWN ? shown + " + " + (all.size() - ENDPOINTS_SHOWN) + " more..." : shown;
    }

    /** Every ip:port of the addresses, each target port of each address in order. */
    static List<String> addressList(List<EndpointAddress> addresses) {
        List<String> all = new ArrayList<>();
        for (EndpointAddress a : addresses) {
            if (a.ip() == null) continue;
            if (a.targetPorts().isEmpty()) all.add(a.ip());
            new TreeMap<>(a.targetPorts()).values().forEach(port -> all.add(a.ip() + ":" + port));
        }
        return all;
    }

    /** A Service port's target as kubectl describe prints it: the number or the name, with the protocol. */
    static String target(ServicePort p) {
        return (p.targetPortName() != null ? p.targetPortName() : Integer.toString(p.targetNumber())) + "/" + p.protocol();
    }
}
