package dev.berth.bus.contract;

import java.util.List;
import java.util.Map;

/**
 * A {@code v1 Service}: a stable address in front of the pods its selector picks in its namespace.
 *
 * @param type      ClusterIP or NodePort; null: ClusterIP
 * @param clusterIP the cluster IP: null in a command (the controller allocates one from the service CIDR), an
 *                  address inside it (taken if free), or "None" for a headless Service (no proxy listener)
 * @param selector  {@code spec.selector}: labels a pod must carry (all of them); empty: no endpoints are managed
 * @param ports     at least one, at most {@link dev.berth.bus.Limits#SERVICE_PORTS_MAX_ITEMS}
 * @param labels    the Service's own metadata.labels
 */
public record ServiceSpec(String namespace, String name, String type, String clusterIP, Map<String, String> selector,
                          List<ServicePort> ports, Map<String, String> labels) {
    public static final String CLUSTER_IP = "ClusterIP";
    public static final String NODE_PORT = "NodePort";
    public static final List<String> TYPES = List.of(CLUSTER_IP, NODE_PORT);
    public static final String HEADLESS = "None";

    public ServiceSpec {
        namespace = Namespaces.orDefault(namespace);
        type = type == null || type.isEmpty() ? CLUSTER_IP : type;
        clusterIP = clusterIP == null || clusterIP.isEmpty() ? null : clusterIP;
        selector = selector == null ? Map.of() : Map.copyOf(selector);
        ports = ports == null ? List.of() : List.copyOf(ports);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The record key: the bare name in default, else namespace/name. */
    public String key() { return Namespaces.key(namespace, name); }

    /**
     * Whether a pod with these labels is one of this Service's endpoints (if it is in the Service's namespace):
     * it carries every pair of the selector. An empty selector selects nothing: Berth manages no endpoints for it.
     */
    public boolean selects(Map<String, String> podLabels) {
        return !selector.isEmpty() && podLabels.entrySet().containsAll(selector.entrySet());
    }

    public boolean headless() { return HEADLESS.equals(clusterIP); }

    public boolean nodePorts() { return NODE_PORT.equals(type); }

    public ServiceSpec withClusterIP(String ip) {
        return new ServiceSpec(namespace, name, type, ip, selector, ports, labels);
    }

    public ServiceSpec withPorts(List<ServicePort> p) {
        return new ServiceSpec(namespace, name, type, clusterIP, selector, p, labels);
    }
}
