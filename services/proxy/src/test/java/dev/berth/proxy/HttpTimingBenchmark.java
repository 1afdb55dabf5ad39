package dev.berth.proxy;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What timing adds per request on the proxy's event loop: CPU ns and allocated bytes per keep-alive request and
 * response (a browser-like GET, a 1 KiB response with ten headers), counting alone against counting, response
 * framing and a record into a Prometheus histogram. Prints medians of several rounds, asserts nothing. Not part of
 * the normal test run:
 * {@code ./mvnw -q -o -pl services/proxy test -Dtest=HttpTimingBenchmark -Dberth.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
class HttpTimingBenchmark {
    private static final int ROUNDS = 7;
    private static final int PER_ROUND = 200_000;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static final Buffer REQUEST = Buffer.buffer("GET /api/items?page=2 HTTP/1.1\r\nHost: web.default.svc.cluster.local\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: text/html,application/xhtml+xml\r\nAccept-Encoding: gzip, deflate\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\nCookie: session=0123456789abcdef0123456789abcdef\r\nConnection: keep-alive\r\n\r\n");
    static final Buffer RESPONSE = Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1024\r\n"
            + "Date: Wed, 02 Dec 2026 13:00:00 GMT\r\nServer: nginx\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n"
            + "X-Request-Id: 5f0c2a9e-1b3d-4c5e-8f7a-9b0c1d2e3f4a\r\nStrict-Transport-Security: max-age=31536000\r\n"
            + "X-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\n" + "x".repeat(1024));

    static volatile long sink;

    @Test
    void costPerRequest() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer timer = Timer.builder("t").publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
        for (int i = 0; i < 3; i++) { counting(); timing(timer); }
        double[][] c = new double[ROUNDS][], t = new double[ROUNDS][];
        for (int r = 0; r < ROUNDS; r++) { c[r] = counting(); t[r] = timing(timer); }
        double cn = median(c, 0), cb = median(c, 1), tn = median(t, 0), tb = median(t, 1);
        System.out.printf("per request: counting %.0f ns %.0f B; counting + timing %.0f ns %.0f B; timing adds %.0f ns (x%.2f)%n",
                cn, cb, tn, tb, tn - cn, tn / cn);
        registry.close();
    }

    private static double[] counting() {
        HttpRequestCounter counter = new HttpRequestCounter();
        return measure(() -> { for (int i = 0; i < PER_ROUND; i++) sink += counter.feed(REQUEST); });
    }

    private static double[] timing(Timer timer) {
        HttpTiming timing = new HttpTiming(nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
        return measure(() -> {
            for (int i = 0; i < PER_ROUND; i++) {
                sink += timing.fromClient(REQUEST, System.nanoTime());
                timing.fromEndpoint(RESPONSE, System.nanoTime());
            }
        });
    }

    private static double[] measure(Runnable work) {
        long tid = Thread.currentThread().getId();
        long cpu = THREADS.getCurrentThreadCpuTime(), bytes = THREADS.getThreadAllocatedBytes(tid);
        work.run();
        return new double[] {(THREADS.getCurrentThreadCpuTime() - cpu) / (double) PER_ROUND,
                (THREADS.getThreadAllocatedBytes(tid) - bytes) / (double) PER_ROUND};
    }

    private static double median(double[][] rounds, int column) {
        double[] v = Arrays.stream(rounds).mapToDouble(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }
}
