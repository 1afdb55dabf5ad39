package dev.berth.proxy;

import dev.berth.bus.BusConfig;
import dev.berth.bus.metrics.ServiceMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one node's proxy as its own process:
 * {@code ProxyMain [--node NAME] [--address IP] [--interface NAME|none] [--no-cluster-ips] [--metrics-seconds N] [bootstrap]}.
 * The node name defaults to {@code BERTH_NODE}, else "node-1"; the address (where node ports listen) to
 * 127.0.0.1; the cluster-IP interface to berth-svc0 (creating it needs root; "none" when cluster IPs are local
 * already; {@code --no-cluster-ips}: node ports only, another proxy on this host serves the cluster IPs); the
 * broker as {@link BusConfig#resolve} finds it. The local stack deploys {@link ProxyVerticle}
 * in-process instead.
 */
public final class ProxyMain {
    private static final Logger log = LoggerFactory.getLogger(ProxyMain.class);

    private ProxyMain() {}

    /** The options and broker address the arguments say; throws IllegalArgumentException on anything else. */
    record Invocation(ProxyOptions options, String bootstrap) {}

    static Invocation parse(String[] args, String nodeFromEnvironment) {
        ProxyOptions o = ProxyOptions.forNode(nodeFromEnvironment == null || nodeFromEnvironment.isEmpty() ? "node-1" : nodeFromEnvironment);
        String bootstrap = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                if (bootstrap != null) throw new IllegalArgumentException("one broker address only, got " + bootstrap + " and " + a);
                bootstrap = a;
                continue;
            }
            if (a.equals("--no-cluster-ips")) {
                o = o.withClusterIPs(false);
                continue;
            }
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            String v = args[++i];
            o = switch (a) {
                case "--node" -> o.withNodeName(v);
                case "--address" -> o.withNodeAddress(v);
                case "--interface" -> o.withDummyInterface(v.equals("none") ? null : v);
                case "--metrics-seconds" -> o.withMetricsInterval(Duration.ofSeconds(seconds(v)));
                default -> throw new IllegalArgumentException("unknown option " + a);
            };
        }
        return new Invocation(o, bootstrap);
    }

    private static long seconds(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-seconds takes a whole number, not " + v);
        }
    }

    /** Prometheus metrics on :BERTH_METRICS_PORT/metrics (-1: none). */
    public static final int DEFAULT_METRICS_PORT = 9405;

    public static void main(String[] args) {
        Invocation run;
        try {
            run = parse(args, System.getenv("BERTH_NODE"));
        } catch (IllegalArgumentException e) {
            System.err.println("berth proxy: " + e.getMessage());
            System.err.println("usage: ProxyMain [--node NAME] [--address IP] [--interface NAME|none] [--no-cluster-ips] [--metrics-seconds N] [bootstrap]");
            System.exit(2);
            return;
        }
        BusConfig bus = BusConfig.resolve(run.bootstrap() != null ? run.bootstrap() : System.getenv("BERTH_BOOTSTRAP"));
        Vertx vertx = Vertx.vertx();
        // Closing Vert.x undeploys the proxy: listeners close and the cluster-IP interface goes with its addresses.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("[proxy] did not stop cleanly: {}", e.toString());
            }
        }, "berth-proxy-shutdown"));
        String portSetting = System.getenv("BERTH_METRICS_PORT");
        int port = portSetting == null ? DEFAULT_METRICS_PORT : Integer.parseInt(portSetting);
        ServiceMetrics metrics = ServiceMetrics.ofNode("proxy", run.options().nodeName());
        vertx.deployVerticle(new ProxyVerticle(bus, run.options()).measuredBy(metrics))
                .compose(id -> port < 0 ? Future.succeededFuture(-1) : metrics.serve(vertx, "0.0.0.0", port))
                .onSuccess(p -> log.info("[proxy/{}] running against {}{}", run.options().nodeName(), bus.bootstrapServers(),
                        p < 0 ? "" : ", metrics on :" + p + "/metrics"))
                .onFailure(e -> {
                    log.error("[proxy] cannot start against {}: {}", bus.bootstrapServers(), e.getMessage(), e);
                    System.exit(1);
                });
    }
}
