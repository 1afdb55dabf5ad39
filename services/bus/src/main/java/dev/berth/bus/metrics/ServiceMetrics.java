package dev.berth.bus.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * One service's metrics: a Prometheus registry whose every series carries {@code service} (and, for
 * per-node services, {@code node}), served as Prometheus text on {@code GET /metrics}. Several services
 * in one JVM (the local stack) each have their own registry and port; JVM metrics are the process's.
 */
public final class ServiceMetrics implements AutoCloseable {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String service;
    private HttpServer server;
    private JvmGcMetrics gc;

    private ServiceMetrics(String service, String node) {
        this.service = service;
        registry.config().commonTags("service", service);
        if (node != null) registry.config().commonTags("node", node);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /** A registry for a cluster-wide service (controller, scheduler, autoscaler). */
    public static ServiceMetrics of(String service) { return new ServiceMetrics(service, null); }

    /** A registry for a per-node service (node agent, proxy). */
    public static ServiceMetrics ofNode(String service, String node) { return new ServiceMetrics(service, node); }

    public MeterRegistry registry() { return registry; }

    public LoopMetrics loop() { return new LoopMetrics(registry); }

    public String service() { return service; }

    /** Everything measured, in the Prometheus text format. */
    public String scrape() { return registry.scrape(); }

    /**
     * Serves {@code GET /metrics} on host:port (0: any free port); completes with the bound port. HTTP/1.1 only: Vert.x
     * would accept an h2c upgrade and then not answer on HTTP/2 (a client that asks for it, e.g. Java's HttpClient by
     * default, hung); Prometheus scrapes with HTTP/1.1.
     */
    public Future<Integer> serve(Vertx vertx, String host, int port) {
        server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(req -> {
            if (!"/metrics".equals(req.path())) {
                req.response().setStatusCode(404).end("only /metrics here\n");
                return;
            }
            req.response().putHeader("Content-Type", CONTENT_TYPE).end(scrape());
        });
        return server.listen(port, host).map(HttpServer::actualPort);
    }

    /** The port /metrics is served on; -1 when not serving. */
    public int port() { return server == null ? -1 : server.actualPort(); }

    public Future<Void> stop() {
        Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
        server = null;
        return closed;
    }

    @Override
    public void close() {
        stop();
        if (gc != null) gc.close();
        registry.close();
    }
}
