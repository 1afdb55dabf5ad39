package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's rolling update end to end with real runc, CNI and the proxy: 3 busybox httpd pods behind a NodePort
 * Service, RollingUpdate maxSurge 1 / maxUnavailable 0 with a readiness probe, a template change under a bounded
 * load of new connections (none may fail), `rollout status` following it; then a bad image stuck at its progress
 * deadline while the old pods keep serving, and `rollout undo` back to health.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class RollingUpdateE2ETest {
    static final int NODE_PORT = 30086;
    static final Pattern VERSION = Pattern.compile("version (\\S+) from (\\S+)");

    @TempDir static Path home;
    static LocalStack stack;

    @BeforeAll
    static void up() throws Exception {
        stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1));
    }

    @AfterAll
    static void down() {
        if (stack != null) stack.close();
    }

    /** The manifest at {@code version}: the page says it; a stop waits 2 s before httpd goes (as a preStop sleep would). */
    static Path manifest(String version) throws Exception {
        Path f = home.resolve("roll-" + version + ".yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: roll
                spec:
                  replicas: 3
                  progressDeadlineSeconds: 15
                  strategy:
                    type: RollingUpdate
                    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
                  selector:
                    matchLabels: {app: roll}
                  template:
                    metadata:
                      labels: {app: roll}
                    spec:
                      terminationGracePeriodSeconds: 5
                      containers:
                        - name: roll
                          image: busybox
                          env:
                            - {name: VERSION, value: "%s"}
                          command: ["sh", "-c"]
                          args:
                            - |
                              mkdir -p /www && echo "version $VERSION from $HOSTNAME" > /www/index.html
                              httpd -f -p 8080 -h /www & trap 'sleep 2; kill $!; exit 0' TERM; wait
                          ports:
                            - {name: http, containerPort: 8080}
                          readinessProbe:
                            httpGet: {path: /, port: http}
                            periodSeconds: 1
                            failureThreshold: 1
                          resources:
                            requests: {cpu: 20m, memory: 16Mi}
                            limits: {cpu: 200m, memory: 64Mi}
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: roll
                spec:
                  type: NodePort
                  selector: {app: roll}
                  ports:
                    - {name: http, port: 80, targetPort: http, nodePort: %d}
                """.formatted(version, NODE_PORT));
        return f;
    }

    /** A bounded load: one GET on a new connection every 20 ms until stopped (at most 3 minutes), counting outcomes. */
    static final class Load implements Runnable {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger requests = new AtomicInteger(), failures = new AtomicInteger();
        final Map<String, Integer> versions = new ConcurrentHashMap<>();
        volatile String lastFailure;

        @Override
        public void run() {
            long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (running.get() && System.nanoTime() < end) {
                requests.incrementAndGet();
                String answer = get();
                Matcher m = VERSION.matcher(answer);
                if (answer.startsWith("HTTP/1.") && answer.startsWith(" 200 ", 8) && m.find()) {
                    versions.merge(m.group(1), 1, Integer::sum);
                } else {
                    failures.incrementAndGet();
                    lastFailure = answer.isEmpty() ? "no answer" : answer.lines().findFirst().orElse("");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    static String get() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", NODE_PORT), 2000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\nHost: roll\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
    }

    static long versionsAnswering(String version, int n) {
        long seen = 0;
        for (int i = 0; i < n; i++) if (get().contains("version " + version + " ")) seen++;
        return seen;
    }

    @Test
    void aRollingUpdateUnderLoadLosesNoRequestAndABadImageIsRolledBack() throws Exception {
        assertThat(WebServiceE2ETest.berthOn(stack, "apply", "-f", manifest("v1").toString())).isZero();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> versionsAnswering("v1", 10) == 10);

        Load load = new Load();
        Thread loader = new Thread(load, "rolling-update-load");
        loader.start();
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        assertThat(WebServiceE2ETest.berthOn(stack, "apply", "-f", manifest("v2").toString())).isZero();
        int status = WebServiceE2ETest.berthOn(stack, "rollout", "status", "deployment/roll", "--timeout", "120s");
        long rolledMs = (System.nanoTime() - t0) / 1_000_000;
        Thread.sleep(2000);
        load.running.set(false);
        loader.join();
        System.out.printf("rolling update v1 -> v2 (3 replicas, maxSurge 1, maxUnavailable 0) under load: %d requests, %d failed, "
                + "rollout %d ms, answers by version %s%n", load.requests.get(), load.failures.get(), rolledMs, load.versions);
        assertThat(status).as("rollout status").isZero();
        assertThat(load.failures.get()).as("failed requests (last: %s)", load.lastFailure).isZero();
        assertThat(load.versions).containsKeys("v1", "v2");
        assertThat(versionsAnswering("v2", 20)).isEqualTo(20);

        // A bad image: the new pod never pulls, the deadline passes, the old pods keep serving; undo brings v2 back.
        assertThat(WebServiceE2ETest.berthOn(stack, "set", "image", "deployment/roll", "roll=127.0.0.1:1/nope:1")).isZero();
        long t1 = System.nanoTime();
        int stuck = WebServiceE2ETest.berthOn(stack, "rollout", "status", "deployment/roll", "--timeout", "90s");
        long stuckMs = (System.nanoTime() - t1) / 1_000_000;
        assertThat(stuck).as("rollout status on a deadline").isNotZero();
        assertThat(versionsAnswering("v2", 20)).as("the old pods serve on").isEqualTo(20);
        String described = WebServiceE2ETest.outputOn(stack, "describe", "deployment", "roll");
        assertThat(described).contains("ProgressDeadlineExceeded");
        assertThat(WebServiceE2ETest.berthOn(stack, "rollout", "undo", "deployment/roll")).isZero();
        assertThat(WebServiceE2ETest.berthOn(stack, "rollout", "status", "deployment/roll", "--timeout", "90s")).isZero();
        assertThat(versionsAnswering("v2", 20)).isEqualTo(20);
        String history = WebServiceE2ETest.outputOn(stack, "rollout", "history", "deployment/roll");
        System.out.printf("bad image: deadline reported after %d ms (progressDeadlineSeconds 15); history:%n%s", stuckMs, history);

        assertThat(WebServiceE2ETest.berthOn(stack, "delete", "-f", manifest("v2").toString())).isZero();
    }
}
