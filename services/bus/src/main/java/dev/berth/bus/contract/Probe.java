package dev.berth.bus.contract;

import java.util.List;

/**
 * A container probe ({@code readinessProbe}), as Kubernetes: exactly one of {@code httpGet}, {@code tcpSocket} or
 * {@code exec}; the timings in seconds with Kubernetes' defaults (0, 10, 1, 1, 3) where a field is absent (0).
 * A port is a number or the name of one of the container's ports.
 */
public record Probe(HttpGet httpGet, TcpSocket tcpSocket, Exec exec, int initialDelaySeconds, int periodSeconds,
                    int timeoutSeconds, int successThreshold, int failureThreshold) {
    public static final int DEFAULT_PERIOD_SECONDS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    public Probe {
        periodSeconds = periodSeconds <= 0 ? DEFAULT_PERIOD_SECONDS : periodSeconds;
        timeoutSeconds = timeoutSeconds <= 0 ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
        successThreshold = successThreshold <= 0 ? DEFAULT_SUCCESS_THRESHOLD : successThreshold;
        failureThreshold = failureThreshold <= 0 ? DEFAULT_FAILURE_THRESHOLD : failureThreshold;
    }

    /** {@code httpGet}: success is a status from 200 to 399. scheme HTTP (HTTPS is not probed yet); host: the pod IP. */
    public record HttpGet(String path, int port, String portName, String host, String scheme) {
        public HttpGet {
            path = path == null || path.isEmpty() ? "/" : path;
            scheme = scheme == null || scheme.isEmpty() ? "HTTP" : scheme;
            portName = portName == null || portName.isEmpty() ? null : portName;
            host = host == null || host.isEmpty() ? null : host;
        }
    }

    /** {@code tcpSocket}: success is an accepted connection. */
    public record TcpSocket(int port, String portName, String host) {
        public TcpSocket {
            portName = portName == null || portName.isEmpty() ? null : portName;
            host = host == null || host.isEmpty() ? null : host;
        }
    }

    /** {@code exec}: the command runs inside the container; success is exit status 0. */
    public record Exec(List<String> command) {
        public Exec {
            command = command == null ? List.of() : List.copyOf(command);
        }
    }

    public static Probe http(String path, int port, int periodSeconds, int failureThreshold) {
        return new Probe(new HttpGet(path, port, null, null, null), null, null, 0, periodSeconds, 0, 0, failureThreshold);
    }

    public static Probe tcp(int port, int periodSeconds, int failureThreshold) {
        return new Probe(null, new TcpSocket(port, null, null), null, 0, periodSeconds, 0, 0, failureThreshold);
    }

    public static Probe exec(List<String> command, int periodSeconds, int failureThreshold) {
        return new Probe(null, null, new Exec(command), 0, periodSeconds, 0, 0, failureThreshold);
    }
}
