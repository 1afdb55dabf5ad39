package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ScaleDeployment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-up latency on requests_per_second, end to end on a one-node local stack (real runc, CNI, proxy, the
 * autoscaler at its defaults): from the start of a load of 40 requests per second (4 clients, 10 per second each, a
 * new connection per request, 127.0.0.1 only, at most 30 s) on one pod whose target is 5 to (a) the autoscaler's
 * ScaleDeployment, (b) the first new replica Running, (c) the first request a new replica answers through the
 * proxy; repeated, with medians and the ratio to what Kubernetes' defaults would take. Not a test run:
 * {@code ./mvnw -B -q -o -pl services/cli -am test -Dtest=HpaScaleUpBenchmark -Dberth.bench=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "berth.bench", matches = "true")
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class HpaScaleUpBenchmark {
    static final Pattern HELLO = Pattern.compile("hello from (\\S+)");
    /**
     * Kubernetes' defaults for the same detection: the HPA controller's --horizontal-pod-autoscaler-sync-period (15 s)
     * and metrics-server's --metric-resolution (15 s): a step of load is in a scraped sample 15 s later at worst and
     * 7.5 s on average, and the next sync comes 7.5 s after that on average (15 s at worst).
     */
    static final double K8S_DETECT_MEAN_S = 7.5 + 7.5, K8S_DETECT_WORST_S = 15 + 15;

    @TempDir Path home;

    record Round(long scaleMs, long runningMs, long trafficMs, int replicas) {}

    @Test
    void scaleUpLatencyOnRequestsPerSecond() throws Exception {
        int rounds = Integer.getInteger("berth.bench.rounds", 3);
        assertThat(AutoscalingE2ETest.listening(AutoscalingE2ETest.NODE_PORT)).as("another local stack runs on this host").isFalse();
        List<Round> results = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1))) {
            AutoscalingE2ETest.stack = stack;
            try {
                CliRun apply = AutoscalingE2ETest.berth("apply", "-f", Files.writeString(home.resolve("echo.yaml"), AutoscalingE2ETest.ECHO).toString());
                assertThat(apply.code()).as(apply.err()).isZero();
                for (int i = 1; i <= rounds; i++) {
                    Round r = round();
                    System.out.printf("round %d: ScaleDeployment to %d %d ms, new replica Running %d ms, its first proxied answer %d ms%n",
                            i, r.replicas, r.scaleMs, r.runningMs, r.trafficMs);
                    results.add(r);
                }
            } finally {
                AutoscalingE2ETest.stack = null;
            }
        }
        long a = median(results.stream().map(Round::scaleMs).toList());
        long b = median(results.stream().map(Round::runningMs).toList());
        long c = median(results.stream().map(Round::trafficMs).toList());
        System.out.printf("%nHPA scale-up on requests_per_second, %d rounds (ms from load start; Kubernetes: its detection defaults,"
                + " sync 15 s + metrics resolution 15 s, plus Berth's own start and endpoint time after the scale)%n", rounds);
        System.out.printf("%-44s %8s %8s %8s %14s %10s%n", "step", "min", "median", "max", "k8s mean/worst", "ratio");
        row("(a) ScaleDeployment sent", results.stream().map(Round::scaleMs).toList(), 0);
        row("(b) new replica Running", results.stream().map(Round::runningMs).toList(), b - a);
        row("(c) new replica answers its first request", results.stream().map(Round::trafficMs).toList(), c - a);
    }

    /**
     * The same on cpu: one pod of 100m burning up to its 500m limit for 20 s (it stops by itself) against a target of
     * 50 %, from the burn's start to (a) the ScaleDeployment and (b) the first new replica Running.
     */
    @Test
    void scaleUpLatencyOnCpu() throws Exception {
        int rounds = Integer.getInteger("berth.bench.rounds", 3);
        assertThat(AutoscalingE2ETest.listening(AutoscalingE2ETest.NODE_PORT)).as("another local stack runs on this host").isFalse();
        List<Round> results = new ArrayList<>();
        try (LocalStack stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1))) {
            AutoscalingE2ETest.stack = stack;
            try {
                String burn = AutoscalingE2ETest.BURN.replace("timeout -s KILL " + AutoscalingE2ETest.BURN_SECONDS + " ", "timeout -s KILL 20 ");
                CliRun apply = AutoscalingE2ETest.berth("apply", "-f", Files.writeString(home.resolve("burn.yaml"), burn).toString());
                assertThat(apply.code()).as(apply.err()).isZero();
                for (int i = 1; i <= rounds; i++) {
                    Round r = cpuRound(home);
                    System.out.printf("cpu round %d: ScaleDeployment to %d %d ms, new replica Running %d ms%n", i, r.replicas, r.scaleMs, r.runningMs);
                    results.add(r);
                }
            } finally {
                AutoscalingE2ETest.stack = null;
            }
        }
        long a = median(results.stream().map(Round::scaleMs).toList());
        long b = median(results.stream().map(Round::runningMs).toList());
        System.out.printf("%nHPA scale-up on cpu utilization, %d rounds (ms from burn start; Kubernetes as above)%n", rounds);
        System.out.printf("%-44s %8s %8s %8s %14s %10s%n", "step", "min", "median", "max", "k8s mean/worst", "ratio");
        row("(a) ScaleDeployment sent", results.stream().map(Round::scaleMs).toList(), 0);
        row("(b) new replica Running", results.stream().map(Round::runningMs).toList(), b - a);
    }

    static Round cpuRound(Path home) throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> AutoscalingE2ETest.running("burn").size() == 1);
        String first = AutoscalingE2ETest.running("burn").get(0);
        // A sample of the quiet pod taken now: the one the burn shows in is the next (5 s), as for a pod long running.
        AutoscalingE2ETest.awaitSampleOf(first, Instant.now().plusSeconds(1), Duration.ofSeconds(30));
        Instant start = Instant.now();
        assertThat(AutoscalingE2ETest.exec(home, first, "touch", "/tmp/burn")).isZero();
        Envelope scale = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> AutoscalingE2ETest.firstScale("burn", start, r -> r > 1), Optional::isPresent).orElseThrow();
        Instant running = AutoscalingE2ETest.awaitNewRunning("burn", Set.of(first), start, 1, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> AutoscalingE2ETest.firstScale("burn", start, r -> r == 1), Optional::isPresent);
        return new Round(AutoscalingE2ETest.ms(start, scale.time()), AutoscalingE2ETest.ms(start, running), 0,
                ((ScaleDeployment) scale.data()).replicas());
    }

    static void row(String step, List<Long> ms, long afterScaleMs) {
        long k8sMean = Math.round(K8S_DETECT_MEAN_S * 1000) + afterScaleMs, k8sWorst = Math.round(K8S_DETECT_WORST_S * 1000) + afterScaleMs;
        long median = median(ms);
        System.out.printf("%-44s %8d %8d %8d %7d/%-6d %4.2f/%4.2f%n", step, ms.stream().mapToLong(x -> x).min().orElse(0), median,
                ms.stream().mapToLong(x -> x).max().orElse(0), k8sMean, k8sWorst, (double) median / k8sMean, (double) median / k8sWorst);
    }

    static long median(List<Long> ms) {
        List<Long> sorted = ms.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** From one ready pod and no load: load until a new replica has answered (or 30 s), then back to one pod. */
    static Round round() throws Exception {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> AutoscalingE2ETest.running("echo").size() == 1 && AutoscalingE2ETest.ready("echo").size() == 1
                        && AutoscalingE2ETest.answers());
        // Two proxy reports (5 s apart) with no load since the last round, so its rate is 0 before this one starts.
        Thread.sleep(11_000);
        String first = AutoscalingE2ETest.ready("echo").get(0);
        Load load = new Load(first);
        Instant start = Instant.now();
        load.start();
        try {
            Envelope scale = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> AutoscalingE2ETest.firstScale("echo", start, r -> r > 1), Optional::isPresent).orElseThrow();
            Instant running = AutoscalingE2ETest.awaitNewRunning("echo", Set.of(first), start, 1, Duration.ofSeconds(30));
            Instant answered = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(load.firstOther::get,
                    java.util.Objects::nonNull);
            return new Round(AutoscalingE2ETest.ms(start, scale.time()), AutoscalingE2ETest.ms(start, running),
                    AutoscalingE2ETest.ms(start, answered), ((ScaleDeployment) scale.data()).replicas());
        } finally {
            load.stop();
            // The autoscaler takes it back to its minimum; the next round waits for that.
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> AutoscalingE2ETest.firstScale("echo", start, r -> r == 1), Optional::isPresent);
        }
    }

    /** 4 clients, each a request every 100 ms on a new connection to the NodePort, for at most 30 s. */
    static final class Load {
        final String first;
        final AtomicReference<Instant> firstOther = new AtomicReference<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean stopped;

        Load(String first) { this.first = first; }

        void start() {
            long until = System.nanoTime() + 30_000_000_000L;
            for (int i = 0; i < 4; i++) {
                Thread t = new Thread(() -> {
                    while (!stopped && System.nanoTime() < until) {
                        long begin = System.nanoTime();
                        Matcher m = HELLO.matcher(get());
                        if (m.find() && !m.group(1).equals(first)) firstOther.compareAndSet(null, Instant.now());
                        long sleep = 100 - (System.nanoTime() - begin) / 1_000_000;
                        if (sleep > 0) {
                            try {
                                Thread.sleep(sleep);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }, "load-" + i);
                t.start();
                threads.add(t);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads) t.join(10_000);
        }

        static String get() {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", AutoscalingE2ETest.NODE_PORT), 2000);
                s.setSoTimeout(3000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }
}
