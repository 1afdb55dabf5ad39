package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.EndpointTraffic;
import dev.berth.bus.contract.HorizontalPodAutoscalerStatus;
import dev.berth.bus.contract.MetricStatus;
import dev.berth.bus.contract.NodeMetrics;
import dev.berth.bus.contract.PodMetrics;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.ProxyMetrics;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.contract.ServiceTraffic;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HorizontalPodAutoscaler end to end on a one-node local stack with real runc, cgroups, CNI and the real proxy,
 * the autoscaler at its defaults (15 s sync period, samples evaluated as they arrive): autoscaling/v2 manifests
 * applied as a user would; a bounded CPU burn scales a Deployment up and, once it stops by itself, back to min; a
 * bounded `hey` load on a NodePort scales on requests_per_second and back; the node agent's metrics go on after a
 * restart and `berth top pods` shows them. Measured times are printed.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalingE2ETest {
    static final int NODE_PORT = 30085;
    /** How long the burn lasts: it stops by itself (timeout), whatever the test does. */
    static final int BURN_SECONDS = 40;

    /** One pod burning one core (throttled by its 500m limit) for BURN_SECONDS after /tmp/burn appears; 100m requested. */
    static final String BURN = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: burn
              labels: {app: burn}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: burn}
              template:
                metadata:
                  labels: {app: burn}
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                    - name: burn
                      image: busybox
                      command: ["sh", "-c"]
                      args:
                        - |
                          trap 'exit 0' TERM
                          while true; do
                            if [ -f /tmp/burn ]; then rm /tmp/burn; timeout -s KILL %d sh -c 'while :; do :; done'; fi
                            sleep 1 & wait $!
                          done
                      resources:
                        requests: {cpu: 100m, memory: 16Mi}
                        limits: {cpu: 500m, memory: 64Mi}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: burn
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: burn}
              minReplicas: 1
              maxReplicas: 4
              metrics:
                - type: Resource
                  resource:
                    name: cpu
                    target: {type: Utilization, averageUtilization: 50}
              behavior:
                scaleUp:
                  stabilizationWindowSeconds: 0
                  policies: [{type: Pods, value: 4, periodSeconds: 15}]
                scaleDown:
                  stabilizationWindowSeconds: 5
                  policies: [{type: Percent, value: 100, periodSeconds: 15}]
            """.formatted(BURN_SECONDS);

    /** busybox httpd pods naming themselves behind NodePort 30085; scaled on 5 requests per second per pod. */
    static final String ECHO = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: echo
              labels: {app: echo}
            spec:
              replicas: 1
              selector:
                matchLabels: {app: echo}
              template:
                metadata:
                  labels: {app: echo}
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                    - name: web
                      image: busybox
                      command: ["sh", "-c"]
                      args:
                        - |
                          mkdir -p /www && echo "hello from $HOSTNAME" > /www/index.html
                          httpd -f -p 8080 -h /www & trap 'kill $!; exit 0' TERM; wait
                      ports:
                        - name: http
                          containerPort: 8080
                      readinessProbe:
                        httpGet: {path: /, port: http}
                        periodSeconds: 1
                        failureThreshold: 2
                      resources:
                        requests: {cpu: 50m, memory: 16Mi}
                        limits: {cpu: 250m, memory: 64Mi}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: echo
            spec:
              type: NodePort
              selector: {app: echo}
              ports:
                - name: http
                  port: 80
                  targetPort: http
                  nodePort: %d
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: echo
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: echo}
              minReplicas: 1
              maxReplicas: 4
              metrics:
                - type: Pods
                  pods:
                    metric: {name: requests_per_second}
                    target: {type: AverageValue, averageValue: "5"}
              behavior:
                scaleUp:
                  stabilizationWindowSeconds: 0
                  policies: [{type: Pods, value: 4, periodSeconds: 15}]
                scaleDown:
                  stabilizationWindowSeconds: 5
                  policies: [{type: Percent, value: 100, periodSeconds: 15}]
            """.formatted(NODE_PORT);

    @TempDir static Path home;
    static LocalStack stack;

    @BeforeAll
    static void up() throws Exception {
        // Two local stacks on one host collide (pod CIDRs, cluster IPs, node ports): say so rather than measure the other one.
        assertThat(listening(NODE_PORT)).as("something already listens on %s: another local stack runs on this host", NODE_PORT).isFalse();
        stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> view().nodes().size() == 1);
    }

    @AfterAll
    static void down() throws Exception {
        if (stack == null) return;
        stack.close();
        assertThat(LocalStack.runcContainers(home.resolve("nodes/node-1/runc"))).as("containers left on node-1").isEmpty();
    }

    @Test
    @Order(1)
    void aCpuBurnScalesUpAndBackToMinWhenItStops() throws Exception {
        Path manifest = write("burn.yaml", BURN);
        CliRun apply = berth("apply", "-f", manifest.toString());
        assertThat(apply.code()).as(apply.err()).isZero();
        System.out.print(apply.out());
        assertThat(apply.out()).contains("burn");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> running("burn").size() == 1);
        String first = running("burn").get(0);
        // Kubernetes' rule: a cpu sample counts once a whole window of it lies after the pod became ready (5 s here).
        awaitSampleOf(first, Instant.now().plusSeconds(1), Duration.ofSeconds(20));

        Instant load = Instant.now();
        assertThat(exec(first, "touch", "/tmp/burn")).isZero();

        ScaleDeployment[] up = new ScaleDeployment[1];
        Envelope scale = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> firstScale("burn", load, r -> r > 1), Optional::isPresent).orElseThrow();
        up[0] = (ScaleDeployment) scale.data();
        assertThat(up[0].replicas()).isBetween(2, 4);
        assertThat(up[0].reason()).startsWith("New size: " + up[0].replicas() + "; reason: cpu resource utilization (percentage of request) above target");
        DeploymentScaled scaled = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> deploymentScaled("burn", load, r -> r == up[0].replicas()), Optional::isPresent).orElseThrow();
        assertThat(scaled.reason()).startsWith("New size: ");
        Instant newRunning = awaitNewRunning("burn", Set.of(first), load, up[0].replicas() - 1, Duration.ofSeconds(60));

        HorizontalPodAutoscalerStatus status = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> latestStatus("burn"), s -> s != null && s.desiredReplicas() == up[0].replicas() && !s.currentMetrics().isEmpty());
        MetricStatus cpu = status.currentMetrics().get(0);
        assertThat(cpu.name()).isEqualTo("cpu");
        assertThat(cpu.averageUtilization()).isNotNull();
        CliRun describe = berth("describe", "hpa/burn");
        System.out.print(describe.out());
        assertThat(describe.out()).contains("resource cpu on pods  (as a percentage of request):").contains("/ 50%")
                .contains("SuccessfulRescale").contains(up[0].reason());

        System.out.printf("cpu: load start -> ScaleDeployment to %d sent %d ms -> DeploymentScaled %s -> all new replicas Running %d ms"
                        + " (from load start); status then: %s%n", up[0].replicas(), ms(load, scale.time()), "(\"" + scaled.reason() + "\")",
                ms(load, newRunning), status.currentMetrics());

        // The burn ends by itself; with 5 s of scale-down stabilization the autoscaler goes back to min.
        Instant burnEnds = load.plusSeconds(BURN_SECONDS);
        Envelope downScale = await().atMost(Duration.ofSeconds(BURN_SECONDS + 90)).pollInterval(Duration.ofMillis(500))
                .until(() -> firstScale("burn", load, r -> r == 1), Optional::isPresent).orElseThrow();
        ScaleDeployment down = (ScaleDeployment) downScale.data();
        assertThat(down.reason()).contains("below target");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> running("burn").size() == 1);
        System.out.printf("cpu: burn ended -> ScaleDeployment to 1 sent %d ms (%s); all scales: %s%n", ms(burnEnds, downScale.time()),
                down.reason(), scales("burn").stream().map(e -> ((ScaleDeployment) e.data()).replicas()).toList());
        assertNoThrashing(scales("burn"));

        CliRun delete = berth("delete", "-f", manifest.toString());
        assertThat(delete.code()).as(delete.err()).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> running("burn").isEmpty());
    }

    @Test
    @Order(2)
    void requestsPerSecondThroughTheProxyScaleUpAndBackDown() throws Exception {
        CliRun apply = berth("apply", "-f", write("echo.yaml", ECHO).toString());
        assertThat(apply.code()).as(apply.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> ready("echo").size() == 1 && answers());
        String first = ready("echo").get(0);

        // 4 workers x 10 requests per second, a new connection each (the proxy balances connections), 30 s, 127.0.0.1 only.
        Instant load = Instant.now();
        Process hey = hey(30, 10, 4, home.resolve("hey.txt"));
        try {
            Envelope scale = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> firstScale("echo", load, r -> r > 1), Optional::isPresent).orElseThrow();
            ScaleDeployment up = (ScaleDeployment) scale.data();
            assertThat(up.reason()).startsWith("New size: " + up.replicas() + "; reason: pods metric requests_per_second above target");
            Instant newRunning = awaitNewRunning("echo", Set.of(first), load, 1, Duration.ofSeconds(30));
            Instant traffic = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> firstTrafficToOtherThan("echo", first, load), Optional::isPresent).orElseThrow();
            HorizontalPodAutoscalerStatus status = latestStatus("echo");
            System.out.printf("rps: load start -> ScaleDeployment to %d sent %d ms -> a new replica Running %d ms -> it has answered proxied"
                            + " requests by the proxy report of %d ms (5 s reports); %s; status: %s%n", up.replicas(), ms(load, scale.time()),
                    ms(load, newRunning), ms(load, traffic), up.reason(), status == null ? null : status.currentMetrics());
        } finally {
            stopped(hey);
        }
        System.out.print(summary(Files.readString(home.resolve("hey.txt"))));
        CliRun describe = berth("describe", "hpa/echo");
        System.out.print(describe.out());
        assertThat(describe.out()).contains("\"requests_per_second\" on pods:").contains("/ 5");

        Instant loadEnded = Instant.now();
        Envelope downScale = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> firstScale("echo", load, r -> r == 1), Optional::isPresent).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() -> running("echo").size() == 1);
        System.out.printf("rps: load ended -> ScaleDeployment to 1 sent %d ms (%s); all scales: %s%n", ms(loadEnded, downScale.time()),
                ((ScaleDeployment) downScale.data()).reason(), scales("echo").stream().map(e -> ((ScaleDeployment) e.data()).replicas()).toList());
        assertNoThrashing(scales("echo"));
    }

    @Test
    @Order(3)
    void resourceMetricsGoOnAfterTheNodeAgentRestarts() throws Exception {
        List<String> pods = running("echo");
        assertThat(pods).as("test 2 left echo at its minimum").isNotEmpty();
        stack.stopNode("node-1");
        Thread.sleep(2000);
        Instant restart = Instant.now();
        stack.startNode("node-1");
        NodeMetrics sample = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> sampleOf(pods.get(0), restart), Optional::isPresent).orElseThrow();
        System.out.printf("agent restarted: first NodeMetrics with %s %d ms later (%s)%n", pods.get(0), ms(restart, sample.at()),
                sample.pods().stream().map(p -> p.pod() + "=" + p.cpuMillicores() + "m").toList());
        assertThat(sample.pods()).extracting(PodMetrics::pod).containsAll(pods);
        assertThat(running("echo")).as("the restarted agent adopted them").containsExactlyInAnyOrderElementsOf(pods);

        CliRun top = berth("top", "pods");
        System.out.print(top.out());
        assertThat(top.code()).as(top.err()).isZero();
        for (String pod : pods) assertThat(top.out()).contains(pod);
    }

    /**
     * One load, one way up then only down: the first scale is the highest and none after it goes up again. (The way down
     * may take steps: the first sample after the load ends still holds part of it in its window.)
     */
    static void assertNoThrashing(List<Envelope> scales) {
        List<Integer> sizes = scales.stream().map(e -> ((ScaleDeployment) e.data()).replicas()).toList();
        assertThat(sizes).as("scales").isNotEmpty();
        for (int i = 1; i < sizes.size(); i++) {
            assertThat(sizes.get(i)).as("scale %d of %s", i, sizes).isLessThan(sizes.get(0)).isLessThanOrEqualTo(sizes.get(i - 1));
        }
    }

    // --- what the log says

    static List<Envelope> envelopes(Topic topic, Instant since) {
        return LogReader.readEnvelopes(stack.bus(), List.of(topic), t -> since);
    }

    /** Every ScaleDeployment of {@code deployment} on berth.commands, oldest first. */
    static List<Envelope> scales(String deployment) {
        return envelopes(Topic.COMMANDS, null).stream().filter(e -> e.data() instanceof ScaleDeployment s && s.name().equals(deployment))
                .sorted(java.util.Comparator.comparing(Envelope::time)).toList();
    }

    static Optional<Envelope> firstScale(String deployment, Instant since, java.util.function.IntPredicate replicas) {
        return scales(deployment).stream().filter(e -> !e.time().isBefore(since) && replicas.test(((ScaleDeployment) e.data()).replicas()))
                .findFirst();
    }

    static Optional<DeploymentScaled> deploymentScaled(String deployment, Instant since, java.util.function.IntPredicate replicas) {
        return envelopes(Topic.DEPLOYMENTS, since).stream().map(Envelope::data)
                .filter(d -> d instanceof DeploymentScaled s && s.name().equals(deployment) && s.reason() != null && replicas.test(s.replicas()))
                .map(DeploymentScaled.class::cast).findFirst();
    }

    /** When the last of {@code count} pods of {@code deployment} not in {@code before} was first reported Running. */
    static Instant awaitNewRunning(String deployment, Set<String> before, Instant since, int count, Duration atMost) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
            List<Instant> firsts = envelopes(Topic.POD_STATUS, since).stream()
                    .filter(e -> e.data() instanceof PodStatusChanged p && p.state() == ContainerState.Running
                            && p.pod().startsWith(deployment + "-") && !before.contains(p.pod()))
                    .collect(Collectors.toMap(e -> ((PodStatusChanged) e.data()).pod(), Envelope::time, (a, b) -> a.isBefore(b) ? a : b))
                    .values().stream().sorted().toList();
            return firsts.size() >= count ? firsts.get(count - 1) : null;
        }, java.util.Objects::nonNull);
    }

    static HorizontalPodAutoscalerStatus latestStatus(String name) {
        List<Envelope> all = envelopes(Topic.AUTOSCALER_STATUS, null);
        HorizontalPodAutoscalerStatus latest = null;
        for (Envelope e : all) if (e.data() instanceof HorizontalPodAutoscalerStatus s && s.name().equals(name)) latest = s;
        return latest;
    }

    /** The first proxy report after {@code since} in which a pod of {@code service} other than {@code first} has answered requests. */
    static Optional<Instant> firstTrafficToOtherThan(String service, String first, Instant since) {
        for (Envelope e : envelopes(Topic.PROXY_METRICS, since)) {
            if (!(e.data() instanceof ProxyMetrics m)) continue;
            for (ServiceTraffic s : m.services()) {
                if (!s.name().equals(service)) continue;
                for (EndpointTraffic t : s.endpoints()) if (!t.pod().equals(first) && t.requests() > 0) return Optional.of(m.at());
            }
        }
        return Optional.empty();
    }

    /** The first node sample taken after {@code after} that measures {@code pod}. */
    static Optional<NodeMetrics> sampleOf(String pod, Instant after) {
        return envelopes(Topic.RESOURCE_METRICS, after).stream().map(Envelope::data)
                .filter(d -> d instanceof NodeMetrics m && m.at().isAfter(after) && m.pods().stream().anyMatch(p -> p.pod().equals(pod)))
                .map(NodeMetrics.class::cast).findFirst();
    }

    static void awaitSampleOf(String pod, Instant after, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> sampleOf(pod, after), Optional::isPresent);
    }

    static ClusterView view() { return GetCommand.load(stack.bus(), Instant.now()); }

    static List<String> running(String deployment) {
        return view().pods().stream().filter(p -> deployment.equals(p.deployment) && p.state == ContainerState.Running && !p.deleting)
                .map(p -> p.name).sorted().toList();
    }

    static List<String> ready(String deployment) {
        return view().pods().stream().filter(p -> deployment.equals(p.deployment) && p.isReady()).map(p -> p.name).sorted().toList();
    }

    // --- doing things

    static CliRun berth(String... args) { return CliRun.berth(stack.bus().bootstrapServers(), args); }

    static Path write(String name, String yaml) throws IOException { return Files.writeString(home.resolve(name), yaml); }

    static int exec(String pod, String... command) throws Exception { return exec(home, pod, command); }

    /** Runs {@code command} in node-1's container of {@code pod} of the stack whose home is {@code stackHome}. */
    static int exec(Path stackHome, String pod, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("runc", "--root", stackHome.resolve("nodes/node-1/runc").toString(), "exec", pod));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).inheritIO().start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** `hey` against the NodePort on 127.0.0.1 for {@code seconds}, {@code qps} per worker, no keep-alive; its report to {@code out}. */
    static Process hey(int seconds, int qps, int workers, Path out) throws IOException {
        return new ProcessBuilder("hey", "-z", seconds + "s", "-q", Integer.toString(qps), "-c", Integer.toString(workers), "-disable-keepalive",
                "-t", "5", "http://127.0.0.1:" + NODE_PORT + "/").redirectErrorStream(true).redirectOutput(out.toFile()).start();
    }

    /** Waits for a bounded load to end (kills it if it overruns); it never outlives the test. */
    static void stopped(Process p) throws InterruptedException {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** hey's summary and status code lines. */
    static String summary(String report) {
        StringBuilder out = new StringBuilder("hey:");
        for (String line : report.split("\n")) {
            String l = line.trim();
            if (l.startsWith("Total:") || l.startsWith("Requests/sec:") || l.startsWith("[") || l.startsWith("Error")) out.append(' ').append(l).append(';');
        }
        return out.append('\n').toString();
    }

    static boolean answers() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", NODE_PORT), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("hello from");
        } catch (IOException e) {
            return false;
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static long ms(Instant from, Instant to) { return Duration.between(from, to).toMillis(); }
}
