package dev.berth.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.Probe;
import dev.berth.node.core.Probes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The prober against a real HTTP server and TCP listener on 127.0.0.1: successes, failures, refusals, timeouts. */
class ProberTest {
    static Vertx vertx;
    static HttpServer http;
    static NetServer silent;
    static Prober prober;
    static volatile List<String> execSeen = List.of();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        http = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/ok" -> req.response().end("fine");
                case "/redirect" -> req.response().setStatusCode(302).putHeader("Location", "/ok").end();
                case "/fail" -> req.response().setStatusCode(500).end("broken");
                case "/agent" -> req.response().setStatusCode(req.getHeader("User-Agent").startsWith("kube-probe/") ? 200 : 400).end();
                case "/hang" -> { } // never answers
                default -> req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        // accepts connections but never speaks HTTP: a stuck server
        silent = vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        prober = new Prober(vertx, (container, command, timeout) -> {
            execSeen = List.copyOf(command);
            return switch (command.get(0)) {
                case "true" -> Future.succeededFuture(0);
                case "false" -> Future.succeededFuture(1);
                case "hang" -> vertx.timer(timeout.toMillis() * 3).map(v -> 0);
                default -> Future.failedFuture(new java.io.IOException("no such container"));
            };
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (prober != null) prober.close();
        if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
    }

    static Probe http(String path) {
        return new Probe(new Probe.HttpGet(path, 0, null, null, null), null, null, 0, 10, 1, 1, 3);
    }

    static Probe tcp() {
        return new Probe(null, new Probe.TcpSocket(0, null, null), null, 0, 10, 1, 1, 3);
    }

    static Probe exec(String... command) {
        return new Probe(null, null, new Probe.Exec(List.of(command)), 0, 10, 1, 1, 3);
    }

    static Prober.Outcome run(Probe probe, int port) throws Exception {
        return prober.probe(new Probes.RunProbe("web", 0, probe, "127.0.0.1", port)).await(10, TimeUnit.SECONDS);
    }

    /** A port nothing listens on: bound, noted, closed. */
    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void httpGetSucceedsFor2xxAnd3xx() throws Exception {
        assertThat(run(http("/ok"), http.actualPort()).success()).isTrue();
        assertThat(run(http("/redirect"), http.actualPort()).success()).isTrue();
        assertThat(run(http("/agent"), http.actualPort()).success()).as("kube-probe User-Agent").isTrue();
    }

    @Test
    void httpGetFailsFor4xxAnd5xx() throws Exception {
        Prober.Outcome fail = run(http("/fail"), http.actualPort());
        assertThat(fail.success()).isFalse();
        assertThat(fail.message()).contains("500");
        assertThat(run(http("/missing"), http.actualPort()).success()).isFalse();
    }

    @Test
    void httpGetFailsWhenRefused() throws Exception {
        assertThat(run(http("/ok"), closedPort()).success()).isFalse();
    }

    @Test
    void httpGetFailsWhenTheServerDoesNotAnswerInTime() throws Exception {
        Prober.Outcome hang = run(http("/hang"), http.actualPort());
        assertThat(hang.success()).isFalse();
        assertThat(run(http("/ok"), silent.actualPort()).success()).as("a server that never speaks").isFalse();
    }

    @Test
    void httpsIsNotProbedYet() throws Exception {
        Probe https = new Probe(new Probe.HttpGet("/ok", 0, null, null, "HTTPS"), null, null, 0, 10, 1, 1, 3);
        assertThat(run(https, http.actualPort()).success()).isFalse();
    }

    @Test
    void tcpSocketSucceedsWhenAcceptedAndFailsWhenRefused() throws Exception {
        assertThat(run(tcp(), http.actualPort()).success()).isTrue();
        assertThat(run(tcp(), silent.actualPort()).success()).isTrue();
        assertThat(run(tcp(), closedPort()).success()).isFalse();
    }

    @Test
    void anUnresolvedPortFailsWithoutConnecting() throws Exception {
        assertThat(run(tcp(), 0).success()).isFalse();
        assertThat(run(http("/ok"), 0).message()).contains("port");
    }

    @Test
    void execSucceedsOnExitZeroOnly() throws Exception {
        assertThat(run(exec("true"), 0).success()).isTrue();
        assertThat(execSeen).containsExactly("true");
        Prober.Outcome failed = run(exec("false"), 0);
        assertThat(failed.success()).isFalse();
        assertThat(failed.message()).contains("exited with 1");
        assertThat(run(exec("gone"), 0).message()).contains("no such container");
    }

    @Test
    void execFailsOnTimeout() throws Exception {
        Prober.Outcome hang = run(exec("hang"), 0);
        assertThat(hang.success()).isFalse();
        assertThat(hang.message()).contains("timeout");
    }

    @Test
    void theTimeoutIsTheProbes() throws Exception {
        Probe slow = new Probe(new Probe.HttpGet("/hang", 0, null, null, null), null, null, 0, 10, 2, 1, 3);
        long t0 = System.nanoTime();
        assertThat(run(slow, http.actualPort()).message()).contains("2s");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }
}
