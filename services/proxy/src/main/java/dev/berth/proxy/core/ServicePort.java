package dev.berth.proxy.core;

import java.util.Locale;

/**
 * One port of a Service. {@code nodePort} is 0 when the Service is not of type NodePort. The
 * target port is not here: it is resolved per endpoint (a named targetPort can differ by pod).
 * {@code appProtocol} may be null; with it or with a name of "http" / "http-*" the proxy counts
 * HTTP requests on the port.
 */
public record ServicePort(String name, Protocol protocol, int port, int nodePort, String appProtocol) {

    public ServicePort(String name, int port) {
        this(name, Protocol.TCP, port, 0, null);
    }

    public ServicePort withNodePort(int nodePort) {
        return new ServicePort(name, protocol, port, nodePort, appProtocol);
    }

    /** Kubernetes' convention (appProtocol, else the port's name) for "this port speaks HTTP/1". */
    public boolean speaksHttp() {
        if (protocol != Protocol.TCP) {
            return false;
        }
        String p = appProtocol != null ? appProtocol : name;
        p = p.toLowerCase(Locale.ROOT);
        return p.equals("http") || p.startsWith("http-") || p.equals("kubernetes.io/http");
    }
}
