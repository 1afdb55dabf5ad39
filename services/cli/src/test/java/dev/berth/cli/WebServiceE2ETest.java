package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's demo end to end with real runc, real CNI and the real proxy: examples/web.yaml (3 busybox
 * httpd replicas behind a NodePort Service); 300 new connections to 127.0.0.1:30080 spread over all three;
 * a pod whose readiness probe starts failing stops getting requests; a Service selecting nothing refuses.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class WebServiceE2ETest {
    static final Pattern HELLO = Pattern.compile("hello from (\\S+)");

    @TempDir static Path home;
    static LocalStack stack;

    @BeforeAll
    static void up() throws Exception {
        stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1));
        assertThat(berth("apply", "-f", "../../examples/web.yaml")).isZero();
    }

    @AfterAll
    static void down() {
        if (stack != null) stack.close();
    }

    @Test
    void aNodePortServiceSpreadsRequestsOverReadyPodsAndDropsOneThatTurnsNotReady() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> answering(30) == 3);

        Map<String, Integer> spread = spread(300);
        System.out.printf("300 requests through NodePort 30080: %s%n", spread);
        assertThat(spread).hasSize(3);
        assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(60, 150)); // each 20 %..50 %

        // A pod reaches the Service by its cluster IP (through its default route to the node, where the proxy owns the IP).
        String clusterIP = new com.fasterxml.jackson.databind.ObjectMapper().readTree(output("get", "service", "web", "-o", "json"))
                .path("spec").path("clusterIP").asText();
        assertThat(clusterIP).startsWith("10.");
        String client = spread.keySet().iterator().next();
        Process wget = new ProcessBuilder("runc", "--root", home.resolve("nodes/node-1/runc").toString(), "exec", client,
                "sh", "-c", "(printf 'GET / HTTP/1.0\\r\\n\\r\\n'; sleep 2) | nc -w 5 " + clusterIP + " 80").redirectErrorStream(true).start();
        String fromPod = new String(wget.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wget.waitFor()).as("nc from %s to %s: %s", client, clusterIP, fromPod).isZero();
        assertThat(fromPod).contains("hello from web-");
        System.out.printf("from pod %s, http://%s/ answered: %s%n", client, clusterIP, HELLO.matcher(fromPod).results().findFirst().map(m -> m.group()).orElse("?"));

        // Break one pod's page: its probe (httpGet /, period 2 s, failureThreshold 2) fails from now on.
        String broken = spread.keySet().iterator().next();
        long t0 = System.nanoTime();
        Process rm = new ProcessBuilder("runc", "--root", home.resolve("nodes/node-1/runc").toString(), "exec", broken,
                "rm", "/www/index.html").inheritIO().start();
        assertThat(rm.waitFor()).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> notFoundIn(10) == 0);
        long removedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("readiness removal: a failing pod stopped getting requests %d ms after its page went (probe budget 2 s x 2)%n", removedMs);
        Map<String, Integer> after = spread(100);
        assertThat(after).doesNotContainKey(broken).hasSize(2);
        assertThat(removedMs).isLessThan(2 * 2 * 1000 + 1000 + 3000); // period x threshold + 1 s, + the log's hops

        assertThat(berth("delete", "-f", "../../examples/web.yaml")).isZero();
    }

    /** Distinct pods answering among {@code n} requests, each on a new connection. */
    static int answering(int n) {
        try {
            return spread(n).size();
        } catch (IOException e) {
            return 0;
        }
    }

    static Map<String, Integer> spread(int n) throws IOException {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Matcher m = HELLO.matcher(get());
            if (m.find()) seen.merge(m.group(1), 1, Integer::sum);
        }
        return seen;
    }

    static int notFoundIn(int n) throws IOException {
        int notFound = 0;
        for (int i = 0; i < n; i++) {
            String answer = get();
            if (answer.startsWith("HTTP/1.0 404") || answer.startsWith("HTTP/1.1 404")) notFound++;
        }
        return notFound;
    }

    /** One HTTP/1.0 GET on a new connection to the NodePort; the whole answer, or "" when refused. */
    static String get() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 30080), 2000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.net.ConnectException | java.net.SocketTimeoutException e) {
            return "";
        }
    }

    /** What `berth ARGS` prints on stdout. */
    static String output(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                    java.util.stream.Stream.of("--bootstrap-servers", stack.bus().bootstrapServers())).toArray(String[]::new);
            assertThat(Berth.run(all)).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** `berth ARGS` against {@code on}, printing what it prints. */
    static int berthOn(LocalStack on, String... args) {
        LocalStack before = stack;
        stack = on;
        try {
            return berth(args);
        } finally {
            stack = before;
        }
    }

    /** What `berth ARGS` against {@code on} prints on stdout. */
    static String outputOn(LocalStack on, String... args) {
        LocalStack before = stack;
        stack = on;
        try {
            return output(args);
        } finally {
            stack = before;
        }
    }

    static int berth(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--bootstrap-servers";
        all[args.length + 1] = stack.bus().bootstrapServers();
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return Berth.run(all);
        } finally {
            System.setOut(original);
            System.out.print(captured.toString(StandardCharsets.UTF_8));
        }
    }
}
