package dev.berth.bench;

import dev.berth.proxy.ProxyOptions;
import dev.berth.proxy.ServiceProxy;
import dev.berth.proxy.core.Endpoint;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.ServicePort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth-bench proxy}: requests/s and p50/p99 latency through a Service (Berth's proxy, in this
 * process, with the Service's address on 127.0.0.1) against straight to one pod's IP, in one run, with
 * the same tool, connections and duration for every row: direct to 1 pod, via the Service with that
 * 1 pod as its endpoint, via the Service with 3 pods; with real pods and nft also the kernel's path (a
 * DNAT rule, as kube-proxy's nftables mode). wrk (closed loop) for throughput, hey at a fixed
 * moderate rate for latency. The pods are real (busybox httpd under runc, CNI bridge) when the machine
 * can run them, else servers on 127.0.0.1 in this process, and the table says which.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Benchmarks the Service proxy: direct to one pod against via a Service with 1 and 3 endpoints.")
final class ServiceProxyBenchmark implements Callable<Integer> {
    static final ServiceKey SERVICE = new ServiceKey("default", "bench-web");
    static final int PODS = 3;

    @Option(names = "--seconds", defaultValue = "10", description = "duration of every load run (default ${DEFAULT-VALUE})")
    int seconds;

    /** busybox httpd listens with a backlog of 9: more connects at once overflow it, and a dropped SYN waits 1 s. */
    @Option(names = "--connections", defaultValue = "8", description = "connections of every load run, wrk and hey (default ${DEFAULT-VALUE}; "
            + "busybox httpd's accept queue holds 10)")
    int connections;

    @Option(names = "--rate", defaultValue = "1000", description = "the moderate load of the latency runs, requests/s in all (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--repeat", defaultValue = "1", description = "rounds of the three targets in turn; the table shows medians (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--proxy-loops", defaultValue = "2", description = "the proxy's event loops (default ${DEFAULT-VALUE})")
    int proxyLoops;

    @Option(names = "--pod-cpu-millis", defaultValue = "250",
            description = "after the runs on pods without a CPU limit, the same with each pod limited to this (a pod's capacity), "
                    + "to show what balancing adds; 0: no such runs (default ${DEFAULT-VALUE})")
    int podCpuMillis;

    @Option(names = "--backends", defaultValue = "auto",
            description = "pods: real pods (root, runc, CNI); loopback: servers on 127.0.0.1 in this process; auto: pods if possible (default ${DEFAULT-VALUE})")
    String backends;

    @Option(names = "--nft", description = "also the kernel's path, with real pods and nft: an nftables DNAT rule from a virtual IP to the pod "
            + "(as kube-proxy's nftables mode); its flows share ports with the direct ones, see docs/benchmarks.md")
    boolean nftRow;

    /** What the load goes to; {@code endpoints} of the Service while it is measured. */
    record Target(String name, int endpoints, String url) {}

    /** One row: a target measured by one tool (medians over the rounds). */
    record Row(String target, int endpoints, LoadTools.Load load) {}

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 120 || connections < 1 || connections > 1000 || rate < 1 || rate > 100_000
                || repeat < 1 || repeat > 10 || proxyLoops < 1 || proxyLoops > 64 || podCpuMillis < 0 || podCpuMillis > 64_000
                || !List.of("auto", "pods", "loopback").contains(backends)) {
            throw new IllegalArgumentException("out of bounds: --seconds 1-120, --connections 1-1000, --rate 1-100000, --repeat 1-10, "
                    + "--proxy-loops 1-64, --pod-cpu-millis 0-64000, --backends auto|pods|loopback");
        }
        for (String tool : List.of("wrk", "hey")) {
            if (!LoadTools.available(tool)) {
                System.err.println(tool + " not found: apt-get install -y wrk hey");
                return 2;
            }
        }
        System.out.print(run(System.err));
        return 0;
    }

    String run(PrintStream progress) throws Exception {
        String why = HttpdPods.unavailable();
        if (backends.equals("pods") && why != null) throw new IllegalStateException("real pods " + why);
        boolean real = !backends.equals("loopback") && why == null;
        String kind = real ? "real pods: busybox httpd under runc, CNI bridge"
                : "loopback servers in this process (Vert.x, keep-alive)" + (backends.equals("loopback") ? "" : "; real pods " + why);
        progress.println("berth-bench proxy: " + kind);
        Vertx proxyVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(proxyLoops));
        Vertx loopbackVertx = null;
        HttpdPods pods = null;
        NftDnat nft = null;
        ServiceProxy proxy = null;
        try {
            List<Endpoint> endpoints = new ArrayList<>();
            String direct;
            if (real) {
                pods = HttpdPods.start(PODS, 0, Files.createTempDirectory("berth-bench-proxy-"), progress);
                for (HttpdPods.Pod p : pods.pods()) endpoints.add(new Endpoint(p.name(), p.ip(), Map.of("http", HttpdPods.PORT), true));
                direct = pods.pods().get(0).url();
            } else {
                loopbackVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(PODS));
                for (int i = 0; i < PODS; i++) {
                    Buffer body = Buffer.buffer("hello from web-" + i + "\n");
                    int port = await(loopbackVertx.createHttpServer()
                            .requestHandler(req -> req.response().putHeader("content-type", "text/plain").end(body))
                            .listen(0, "127.0.0.1")).actualPort();
                    endpoints.add(new Endpoint("web-" + i, "127.0.0.1", Map.of("http", port), true));
                }
                direct = "http://127.0.0.1:" + endpoints.get(0).targetPorts().get("http") + "/";
            }
            proxy = await(ServiceProxy.start(proxyVertx, new ProxyOptions("127.0.0.1", proxyLoops, 1000, 3, null)));
            int servicePort = freePort();
            String service = "http://127.0.0.1:" + servicePort + "/";
            update(proxy, servicePort, endpoints.subList(0, 1));
            progress.println("  warming up");
            LoadTools.wrk(direct, connections, 2, progress);
            LoadTools.wrk(service, connections, 2, progress);

            int perWorker = Math.max(1, rate / connections);
            List<Phase> phases = new ArrayList<>();
            List<Target> targets = new ArrayList<>(List.of(new Target("direct to 1 pod", 1, direct),
                    new Target("via Service, 1 endpoint", 1, service)));
            if (real && nftRow && NftDnat.available()) {
                nft = new NftDnat(pods.unusedIp(), 80, pods.pods().get(0).ip(), HttpdPods.PORT);
                targets.add(new Target("kernel DNAT (nftables), 1 pod", 1, "http://" + pods.unusedIp() + ":80/"));
            }
            targets.add(new Target("via Service, 3 endpoints", 3, service));
            phases.add(measure(real ? "pods without a CPU limit" : "loopback servers", targets, proxy, servicePort, endpoints, perWorker, progress));
            if (real && podCpuMillis > 0) {
                pods.limitCpu(podCpuMillis);
                progress.printf("  pods limited to %dm CPU each%n", podCpuMillis);
                phases.add(measure("pods limited to " + podCpuMillis + "m CPU each (a pod's capacity)", List.of(targets.get(0), targets.get(1),
                        targets.get(targets.size() - 1)), proxy, servicePort, endpoints, perWorker, progress));
            }
            String counters = proxy.status(SERVICE).counters().toString();
            return report(kind, direct, service, perWorker * connections, phases, counters);
        } finally {
            if (nft != null) nft.close();
            if (proxy != null) await(proxy.stop());
            await(proxyVertx.close());
            if (loopbackVertx != null) await(loopbackVertx.close());
            if (pods != null) pods.close();
        }
    }

    /** One setting of the pods, every target measured by both tools. */
    record Phase(String name, List<Row> wrk, List<Row> hey) {}

    private Phase measure(String name, List<Target> targets, ServiceProxy proxy, int servicePort, List<Endpoint> endpoints, int perWorker,
                          PrintStream progress) throws Exception {
        Map<Target, List<LoadTools.Load>> wrk = new java.util.LinkedHashMap<>();
        Map<Target, List<LoadTools.Load>> hey = new java.util.LinkedHashMap<>();
        // Rounds of every target in turn: on a shared machine drift hits every target alike.
        for (int r = 0; r < repeat; r++) {
            for (Target t : targets) {
                update(proxy, servicePort, endpoints.subList(0, t.endpoints()));
                wrk.computeIfAbsent(t, k -> new ArrayList<>()).add(LoadTools.wrk(t.url(), connections, seconds, progress));
                hey.computeIfAbsent(t, k -> new ArrayList<>()).add(LoadTools.hey(t.url(), connections, perWorker, seconds, progress));
            }
        }
        return new Phase(name, rows(wrk), rows(hey));
    }

    private static List<Row> rows(Map<Target, List<LoadTools.Load>> byTarget) {
        List<Row> out = new ArrayList<>();
        byTarget.forEach((t, runs) -> out.add(new Row(t.name(), t.endpoints(), median(runs))));
        return out;
    }

    /** The median of each measure on its own (with one round, the run itself). */
    static LoadTools.Load median(List<LoadTools.Load> runs) {
        LoadTools.Load first = runs.get(0);
        return new LoadTools.Load(first.tool(), first.connections(),
                median(runs.stream().mapToDouble(LoadTools.Load::requestsPerSecond).toArray()),
                median(runs.stream().mapToDouble(LoadTools.Load::p50Ms).toArray()),
                median(runs.stream().mapToDouble(LoadTools.Load::p99Ms).toArray()),
                runs.stream().mapToLong(LoadTools.Load::errors).sum());
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    String report(String kind, String direct, String service, int moderateRate, List<Phase> phases, String counters) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Service proxy benchmark: %s%ndirect %s, Service %s; %d s per run, %d connections, "
                + "%d round(s), proxy on %d event loops%n%n", kind, direct, service, seconds, connections, repeat, proxyLoops));
        for (Phase p : phases) {
            table(b, p.name() + " — throughput: wrk -t 2 -c " + connections + ", as fast as it goes", p.wrk());
            table(b, p.name() + " — latency at a moderate load: hey -c " + connections + " at " + moderateRate + " req/s", p.hey());
        }
        Phase first = phases.get(0);
        double throughput = first.wrk().get(1).load().requestsPerSecond() / first.wrk().get(0).load().requestsPerSecond();
        double addedP99 = first.hey().get(1).load().p99Ms() - first.hey().get(0).load().p99Ms();
        b.append(String.format(Locale.ROOT, "throughput via the Service (%s): %.0f %% of direct (target >= 50 %%): %s%n",
                first.name(), 100 * throughput, throughput >= 0.5 ? "PASS" : "MISS"));
        b.append(String.format(Locale.ROOT, "p99 added at %d req/s (%s): %+.2f ms (target <= 1 ms): %s%n",
                moderateRate, first.name(), addedP99, addedP99 <= 1.0 ? "PASS" : "MISS"));
        if (first.wrk().size() == 4) {
            b.append(String.format(Locale.ROOT, "kernel DNAT for comparison: %.0f %% of direct throughput, p99 %+.2f ms at %d req/s%n",
                    100 * first.wrk().get(2).load().requestsPerSecond() / first.wrk().get(0).load().requestsPerSecond(),
                    first.hey().get(2).load().p99Ms() - first.hey().get(0).load().p99Ms(), moderateRate));
        }
        for (Phase p : phases) {
            b.append(String.format(Locale.ROOT, "3 endpoints against 1 via the Service (%s): x%.2f requests/s%n", p.name(),
                    p.wrk().get(p.wrk().size() - 1).load().requestsPerSecond() / p.wrk().get(1).load().requestsPerSecond()));
        }
        b.append("proxy counters for the Service: ").append(counters).append('\n');
        return b.toString();
    }

    private static void table(StringBuilder b, String title, List<Row> rows) {
        LoadTools.Load direct = rows.get(0).load();
        b.append(title).append("\n\n");
        b.append("| target | endpoints | requests/s | p50 ms | p99 ms | ratio to direct | added p99 ms | errors |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            LoadTools.Load l = r.load();
            b.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f | %+.2f | %d |%n", r.target(), r.endpoints(),
                    l.requestsPerSecond(), l.p50Ms(), l.p99Ms(), l.requestsPerSecond() / direct.requestsPerSecond(),
                    l.p99Ms() - direct.p99Ms(), l.errors()));
        }
        b.append('\n');
    }

    private static void update(ServiceProxy proxy, int port, List<Endpoint> endpoints) {
        var applied = await(proxy.update(new ServiceEndpoints(SERVICE, "127.0.0.1", List.of(new ServicePort("http", port)), endpoints)));
        if (applied.rejection().isPresent()) throw new IllegalStateException(applied.rejection().get());
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
