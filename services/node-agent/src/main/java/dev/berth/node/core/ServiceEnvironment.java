package dev.berth.node.core;

import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.ServicePort;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the kubelet tells a container about Services (pkg/kubelet/envvars): for every Service of the pod's
 * namespace that exists when the container starts, {@code NAME_SERVICE_HOST}, {@code NAME_SERVICE_PORT} (the first
 * port), {@code NAME_SERVICE_PORT_<PORTNAME>} per named port, and Docker's link variables ({@code NAME_PORT},
 * {@code NAME_PORT_<port>_<PROTO>} with {@code _PROTO}, {@code _PORT}, {@code _ADDR}); NAME is the Service's name
 * upper-cased with '-' as '_'. Headless Services get none. The pod's own env wins over all of them, and as in
 * Kubernetes Services created later are not seen until the container starts again (DNS sees them at once).
 * Pure. Bounded: at most {@link #MAX_SERVICES} Services (by name) give variables, so a crowded namespace cannot
 * push a container's environment past execve's limit.
 */
public final class ServiceEnvironment {
    public static final int MAX_SERVICES = 500;
    /** The Service the kubelet adds in every namespace (the API server's); Berth has none, but one by that name counts. */
    static final String MASTER_NAMESPACE = "default";
    static final String MASTER_SERVICE = "kubernetes";

    private ServiceEnvironment() {}

    /** The container's environment: the Services' variables under the pod's own {@code env}. */
    public static Map<String, String> withServices(Map<String, String> podEnv, String namespace, ServiceDirectory services) {
        Map<String, String> out = new TreeMap<>(variables(namespace, services));
        out.putAll(podEnv);
        return out;
    }

    /** The variables for a pod in {@code namespace}: its namespace's Services and default/kubernetes. */
    public static Map<String, String> variables(String namespace, ServiceDirectory services) {
        Map<String, Endpoints> byName = new TreeMap<>();
        services.in(MASTER_NAMESPACE).stream().filter(e -> e.name().equals(MASTER_SERVICE)).forEach(e -> byName.put(e.name(), e));
        services.in(namespace).forEach(e -> byName.put(e.name(), e)); // the pod's namespace first, as the kubelet
        Map<String, String> env = new TreeMap<>();
        byName.values().stream().filter(ServiceEnvironment::hasIP).sorted(Comparator.comparing(Endpoints::name))
                .limit(MAX_SERVICES).forEach(e -> add(env, e));
        return env;
    }

    private static boolean hasIP(Endpoints e) {
        return e.clusterIP() != null && !e.clusterIP().isEmpty() && !e.clusterIP().equals("None") && !e.ports().isEmpty();
    }

    private static void add(Map<String, String> env, Endpoints e) {
        String prefix = variableName(e.name());
        String ip = e.clusterIP();
        List<ServicePort> ports = e.ports();
        env.put(prefix + "_SERVICE_HOST", ip);
        env.put(prefix + "_SERVICE_PORT", Integer.toString(ports.get(0).port()));
        for (ServicePort p : ports) {
            if (p.name() != null) env.put(prefix + "_SERVICE_PORT_" + variableName(p.name()), Integer.toString(p.port()));
        }
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            String proto = p.protocol().toLowerCase(Locale.ROOT);
            String url = proto + "://" + ip + ":" + p.port();
            if (i == 0) env.put(prefix + "_PORT", url); // Docker special-cases the first port
            String portPrefix = prefix + "_PORT_" + p.port() + "_" + p.protocol().toUpperCase(Locale.ROOT);
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", proto);
            env.put(portPrefix + "_PORT", Integer.toString(p.port()));
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    /** Kubernetes' makeEnvVariableName: upper case, '-' as '_'. */
    static String variableName(String name) {
        return name.replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
