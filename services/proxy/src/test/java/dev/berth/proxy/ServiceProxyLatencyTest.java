package dev.berth.proxy;

import static dev.berth.proxy.Backends.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.bus.testing.PrometheusText;
import dev.berth.bus.testing.PrometheusText.Sample;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.ServicePort;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request latency through the real data path on 127.0.0.1, judged as Prometheus would see it: a scrape of
 * /metrics read with Prometheus' own parser. A backend that waits before it answers shows in the histogram;
 * a fast one does not.
 */
class ServiceProxyLatencyTest {
    static final ServiceKey SLOW = new ServiceKey("default", "slow");
    static final ServiceKey FAST = new ServiceKey("default", "fast");
    static final long SLOW_MILLIS = 200;
    static final String DURATION = "berth_proxy_request_duration_seconds";

    Vertx vertx;
    ServiceProxy proxy;
    ServiceMetrics metrics;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        proxy = await(ServiceProxy.start(vertx, new ProxyOptions("127.0.0.1", 2, 1000, 3, null)));
        metrics = ServiceMetrics.ofNode("proxy", "node-1");
        proxy.timeRequests(new ProxyServiceMetrics(metrics)::requestDurations);
        await(metrics.serve(vertx, "127.0.0.1", 0));
    }

    @AfterEach
    void stop() {
        await(proxy.stop());
        metrics.close();
        await(vertx.close());
    }

    /** An HTTP server that answers every request with "ok" after {@code delayMillis}. */
    HttpServer backend(long delayMillis) {
        return await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            if (delayMillis == 0) req.response().end("ok");
            else vertx.setTimer(delayMillis, id -> req.response().end("ok"));
        })).listen(0, "127.0.0.1"));
    }

    /** The Service on a port named "http" (so it is read as HTTP/1), one endpoint; its port. */
    int serve(ServiceKey key, HttpServer backend) {
        int port = Backends.freePort();
        ServiceEndpoints s = new ServiceEndpoints(key, "127.0.0.1",
                List.of(new ServicePort("http", port).withNodePort(Backends.freeNodePort())),
                List.of(Backends.endpoint(key.name() + "-1", backend.actualPort(), true)));
        assertThat(await(proxy.update(s)).rejection()).isEmpty();
        return port;
    }

    /**
     * Sends requests three ways: each on a new connection, one after another on a kept-alive one, and pipelined
     * on another; every answer must be "ok". Returns how many were sent.
     */
    static int traffic(int port) throws IOException {
        int sent = 0;
        for (int i = 0; i < 3; i++, sent++) assertThat(Backends.get("127.0.0.1", port)).isEqualTo("ok");
        try (Socket s = connect(port)) {
            for (int i = 0; i < 3; i++, sent++) {
                s.getOutputStream().write(keepAlive());
                assertThat(readResponse(s.getInputStream())).isEqualTo("ok");
            }
        }
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            out.write((new String(keepAlive(), StandardCharsets.ISO_8859_1).repeat(2)).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (int i = 0; i < 2; i++, sent++) assertThat(readResponse(s.getInputStream())).isEqualTo("ok");
        }
        return sent;
    }

    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    static byte[] keepAlive() {
        return "GET / HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One response with a Content-Length (Vert.x's, for a fixed body); its body. */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed in the head: " + head);
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        assertThat(text).startsWith("http/1.1 200");
        int at = text.indexOf("content-length:");
        int length = Integer.parseInt(text.substring(at + 15, text.indexOf("\r\n", at)).trim());
        return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    List<Sample> scrape() throws IOException {
        try (Socket s = connect(metrics.port())) {
            s.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String page = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(page).startsWith("HTTP/1.1 200");
            return PrometheusText.parse(page.substring(page.indexOf("\r\n\r\n") + 4));
        }
    }

    static Map<String, String> labels(ServiceKey key) {
        return Map.of("namespace", key.namespace(), "service_name", key.name(), "service", "proxy", "node", "node-1");
    }

    /** Seconds per request of the Service, once its count is as expected. */
    double meanSeconds(ServiceKey key, int requests) throws IOException {
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> PrometheusText.value(scrape(), DURATION + "_count", labels(key)) == requests);
        List<Sample> samples = scrape();
        assertThat(PrometheusText.value(samples, DURATION + "_count", labels(key))).isEqualTo(requests);
        assertThat(PrometheusText.value(samples, DURATION + "_bucket", Map.of("namespace", key.namespace(), "service_name", key.name(), "le", "+Inf")))
                .as("a histogram, with buckets").isEqualTo(requests);
        return PrometheusText.value(samples, DURATION + "_sum", labels(key)) / requests;
    }

    @Test
    void aSlowBackendShowsInTheServicesRequestDurationsAndAFastOneDoesNot() throws IOException {
        int slow = serve(SLOW, backend(SLOW_MILLIS));
        int fast = serve(FAST, backend(0));

        int slowRequests = traffic(slow);
        int fastRequests = traffic(fast);

        double slowMean = meanSeconds(SLOW, slowRequests);
        double fastMean = meanSeconds(FAST, fastRequests);
        System.out.printf("request duration through the proxy: slow backend %.4f s, fast %.5f s per request (%d requests each)%n",
                slowMean, fastMean, slowRequests);
        assertThat(slowMean).as("the backend waits %d ms per request", SLOW_MILLIS).isGreaterThanOrEqualTo(0.2).isLessThan(2.0);
        assertThat(fastMean).as("fast %s s against slow %s s", fastMean, slowMean).isLessThan(slowMean / 4);
        assertThat(proxy.status(SLOW).counters().requests()).as("counted as before").isEqualTo(slowRequests);

        List<Sample> samples = scrape();
        List<Sample> early = samples.stream().filter(x -> x.name().equals(DURATION + "_bucket") && "slow".equals(x.labels().get("service_name"))
                && !x.labels().get("le").equals("+Inf") && Double.parseDouble(x.labels().get("le")) < 0.19).toList();
        assertThat(early).as("buckets from 1 ms up").isNotEmpty()
                .allSatisfy(x -> assertThat(x.value()).as("none answered in under the backend's wait").isZero());
    }

    @Test
    void aPortThatIsNotHttpIsNotTimed() throws IOException {
        var echo = Backends.echo(vertx, "echo-1");
        int port = Backends.freePort();
        ServiceKey key = new ServiceKey("default", "raw");
        ServiceEndpoints s = new ServiceEndpoints(key, "127.0.0.1",
                List.of(new ServicePort("tcp", port).withNodePort(Backends.freeNodePort())),
                List.of(new dev.berth.proxy.core.Endpoint("raw-1", "127.0.0.1", Map.of("tcp", echo.actualPort()), true)));
        assertThat(await(proxy.update(s)).rejection()).isEmpty();
        try (Socket c = connect(port)) {
            assertThat(Backends.line(c.getInputStream())).isEqualTo("echo-1");
            Backends.send(c.getOutputStream(), "GET / HTTP/1.1\r\n\r\n");
            assertThat(Backends.line(c.getInputStream())).isEqualTo("GET / HTTP/1.1\r");
        }
        assertThat(PrometheusText.sum(scrape(), DURATION + "_count", Map.of("service_name", "raw"))).isZero();
    }
}
