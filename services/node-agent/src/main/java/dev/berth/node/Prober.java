package dev.berth.node;

import dev.berth.bus.contract.Probe;
import dev.berth.node.core.Probes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.List;

/**
 * Runs readiness probes as the kubelet does, each within its {@code timeoutSeconds}: httpGet (a GET, success a
 * status from 200 to 399), tcpSocket (success an accepted connection), exec (via the runtime; success exit 0).
 * Never fails: a timeout or any error is an {@link Outcome} that failed. Runs on the caller's event loop; exec
 * blocks, so it goes to {@link Exec}, which the agent runs on a worker.
 */
final class Prober implements AutoCloseable {

    /** What a probe found; {@code message} says why it failed (null on success). */
    record Outcome(boolean success, String message) {
        static Outcome ok() { return new Outcome(true, null); }
        static Outcome failed(String why) { return new Outcome(false, why); }
    }

    /** Runs the command in the container; the future fails on a timeout or error. */
    @FunctionalInterface
    interface Exec {
        Future<Integer> run(String container, List<String> command, Duration timeout);
    }

    /** Kubernetes' probe User-Agent, so a server's logs tell probes from traffic. */
    static final String USER_AGENT = "kube-probe/berth";

    private final Vertx vertx;
    private final HttpClient http;
    private final NetClient tcp;
    private final Exec exec;

    Prober(Vertx vertx, Exec exec) {
        this.vertx = vertx;
        this.exec = exec;
        // one connection per probe, closed after it: a probe must never be answered by a pooled connection
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        this.tcp = vertx.createNetClient(new NetClientOptions());
    }

    Future<Outcome> probe(Probes.RunProbe run) {
        Probe probe = run.probe();
        long timeoutMs = probe.timeoutSeconds() * 1000L;
        Promise<Outcome> done = Promise.promise();
        long timer = vertx.setTimer(timeoutMs, id -> done.tryComplete(Outcome.failed("timeout after " + probe.timeoutSeconds() + "s")));
        Future<Outcome> attempt;
        try {
            attempt = attempt(run, probe, timeoutMs);
        } catch (RuntimeException e) {
            attempt = Future.failedFuture(e);
        }
        attempt.onComplete(ar -> {
            vertx.cancelTimer(timer);
            done.tryComplete(ar.succeeded() ? ar.result() : Outcome.failed(message(ar.cause())));
        });
        return done.future();
    }

    private Future<Outcome> attempt(Probes.RunProbe run, Probe probe, long timeoutMs) {
        if (probe.exec() != null) {
            return exec.run(run.pod(), probe.exec().command(), Duration.ofSeconds(probe.timeoutSeconds()))
                    .map(code -> code == 0 ? Outcome.ok() : Outcome.failed("command exited with " + code));
        }
        if (run.port() <= 0 || run.port() > 65535) return Future.succeededFuture(Outcome.failed("probe port not found or invalid"));
        if (probe.httpGet() != null) {
            if (!"HTTP".equalsIgnoreCase(probe.httpGet().scheme())) {
                return Future.succeededFuture(Outcome.failed("scheme " + probe.httpGet().scheme() + " is not probed"));
            }
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(run.host()).setPort(run.port())
                    .setURI(probe.httpGet().path()).setConnectTimeout(timeoutMs).setIdleTimeout(timeoutMs)
                    .putHeader("User-Agent", USER_AGENT).putHeader("Accept", "*/*");
            return http.request(options).compose(req -> req.send()).map(resp -> {
                int status = resp.statusCode();
                // The body is not read, only the status counts: closing mid-body is expected, not an error to log.
                resp.exceptionHandler(ignored -> {});
                resp.request().connection().close();
                return status >= 200 && status < 400 ? Outcome.ok() : Outcome.failed("HTTP probe failed with statuscode: " + status);
            });
        }
        if (probe.tcpSocket() != null) {
            return tcp.connect(run.port(), run.host()).map(socket -> {
                socket.close();
                return Outcome.ok();
            });
        }
        return Future.succeededFuture(Outcome.failed("probe without a handler"));
    }

    private static String message(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    @Override
    public void close() {
        http.close();
        tcp.close();
    }
}
