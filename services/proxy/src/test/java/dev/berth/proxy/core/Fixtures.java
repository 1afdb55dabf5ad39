package dev.berth.proxy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders for Services and endpoints in core tests. */
final class Fixtures {
    private Fixtures() {}

    static Endpoint ready(String pod, String ip, int port) {
        return new Endpoint(pod, ip, Map.of("http", port), true);
    }

    static Endpoint notReady(String pod, String ip, int port) {
        return new Endpoint(pod, ip, Map.of("http", port), false);
    }

    /** n ready endpoints web-0..web-(n-1) at 10.244.0.(i+2):8080. */
    static List<Endpoint> readyEndpoints(int n) {
        List<Endpoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(ready("web-" + i, "10.244.0." + (i + 2), 8080));
        }
        return out;
    }

    static ServiceEndpoints web(List<Endpoint> endpoints) {
        return new ServiceEndpoints("default", "web", "10.96.0.10", List.of(new ServicePort("http", 80)), endpoints);
    }

    static ServiceEndpoints service(String name, String clusterIP, List<ServicePort> ports, List<Endpoint> endpoints) {
        return new ServiceEndpoints("default", name, clusterIP, ports, endpoints);
    }
}
