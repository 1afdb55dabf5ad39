package dev.berth.proxy;

import dev.berth.proxy.core.Endpoint;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.ServicePort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests per second and p50/p99 latency through the Service proxy against straight to one
 * backend in the same run, direct and proxied alternating at the same concurrency: wrk (closed
 * loop, as fast as it can) for throughput and hey (a fixed moderate rate) for latency; then capacity-limited backends, 1 endpoint against 3,
 * to show what balancing adds. As root with nft, also the kernel data path for comparison: an
 * nftables DNAT rule (what kube-proxy's nftables mode installs) from a port on 127.0.0.1 to the
 * backend, in a table of its own that is deleted at the end. Everything on 127.0.0.1, every run
 * bounded in time.
 *
 * <pre>java -cp services/proxy/target/berth-proxy.jar dev.berth.proxy.ProxyBenchmark [--seconds 10]
 *     [--connections 32] [--hey-connections 8] [--rate 1000] [--proxy-loops 2] [--service-time-ms 2] [--slots 4] [--repeat 3] [--nft 1]</pre>
 */
public final class ProxyBenchmark {
    record Options(int seconds, int connections, int rate, int proxyLoops, int serviceTimeMs, int slots, int repeat, int heyConnections, int nft) {
        static Options parse(String[] args) {
            Map<String, Integer> o = new java.util.HashMap<>(Map.of("--seconds", 10, "--connections", 32, "--rate", 1000,
                    "--proxy-loops", 2, "--service-time-ms", 2, "--slots", 4, "--repeat", 3, "--hey-connections", 8, "--nft", 1));
            for (int i = 0; i < args.length; i++) {
                if (!o.containsKey(args[i]) || i + 1 == args.length) {
                    throw new IllegalArgumentException("usage: ProxyBenchmark " + o.keySet().stream().sorted().map(k -> "[" + k + " N]").toList());
                }
                o.put(args[i], Integer.parseInt(args[++i]));
            }
            Options opts = new Options(o.get("--seconds"), o.get("--connections"), o.get("--rate"), o.get("--proxy-loops"),
                    o.get("--service-time-ms"), o.get("--slots"), o.get("--repeat"), o.get("--hey-connections"), o.get("--nft"));
            if (opts.seconds < 1 || opts.seconds > 120 || opts.connections < 1 || opts.connections > 1000
                    || opts.rate < 1 || opts.rate > 100_000 || opts.serviceTimeMs < 1 || opts.slots < 1 || opts.repeat < 1 || opts.repeat > 10
                    || opts.heyConnections < 1 || opts.heyConnections > 1000) {
                throw new IllegalArgumentException("out of bounds: " + opts);
            }
            return opts;
        }
    }

    /** One load run's outcome. */
    record Result(String run, String tool, int endpoints, int connections, double requestsPerSecond,
                  double p50Ms, double p99Ms, long errors) {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        for (String tool : List.of("wrk", "hey")) {
            if (!onPath(tool)) {
                System.err.println(tool + " not found: apt-get install -y wrk hey");
                System.exit(2);
            }
        }
        System.out.println(run(o));
    }

    /** The whole benchmark; returns the table. */
    static String run(Options o) throws Exception {
        Vertx backends = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
        Vertx proxyVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(o.proxyLoops));
        ServiceProxy proxy = null;
        List<Result> results = new ArrayList<>();
        List<String> summary = new ArrayList<>();
        try {
            List<Integer> fast = listen(backends, 3, 0, 0);
            List<Integer> limited = listen(backends, 3, o.serviceTimeMs, o.slots);
            proxy = await(ServiceProxy.start(proxyVertx, new ProxyOptions("127.0.0.1", o.proxyLoops, 1000, 3, null)));
            int servicePort = freePort();
            ServiceKey key = new ServiceKey("default", "bench");

            update(proxy, key, servicePort, fast.subList(0, 1));
            String direct = "http://127.0.0.1:" + fast.get(0) + "/";
            String service = "http://127.0.0.1:" + servicePort + "/";
            System.err.println("warming up");
            wrk(direct, o.connections, 3, "warm-up", 1);
            wrk(service, o.connections, 3, "warm-up", 1);

            // Direct and proxied runs alternate, repeated: on a shared machine the median of each says more than one run.
            List<Result> wrkDirect = new ArrayList<>();
            List<Result> wrkProxy = new ArrayList<>();
            List<Result> heyDirect = new ArrayList<>();
            List<Result> heyProxy = new ArrayList<>();
            List<Result> wrkNft = new ArrayList<>();
            List<Result> heyNft = new ArrayList<>();
            NftDnat nft = o.nft == 1 && NftDnat.available() ? new NftDnat(freePort(), fast.get(0)) : null;
            try {
                String dnat = nft == null ? null : "http://127.0.0.1:" + nft.port + "/";
                for (int i = 0; i < o.repeat; i++) {
                    wrkDirect.add(wrk(direct, o.connections, o.seconds, "direct, one backend", 1));
                    wrkProxy.add(wrk(service, o.connections, o.seconds, "through proxy, 1 endpoint", 1));
                    if (nft != null) {
                        wrkNft.add(wrk(dnat, o.connections, o.seconds, "kernel nftables DNAT, 1 endpoint", 1));
                    }
                }
                for (int i = 0; i < o.repeat; i++) {
                    heyDirect.add(hey(direct, o.heyConnections, o.rate, o.seconds, "direct, one backend", 1));
                    heyProxy.add(hey(service, o.heyConnections, o.rate, o.seconds, "through proxy, 1 endpoint", 1));
                    if (nft != null) {
                        heyNft.add(hey(dnat, o.heyConnections, o.rate, o.seconds, "kernel nftables DNAT, 1 endpoint", 1));
                    }
                }
            } finally {
                if (nft != null) {
                    nft.close();
                }
            }
            results.addAll(wrkDirect);
            results.addAll(wrkProxy);
            results.addAll(wrkNft);
            results.addAll(heyDirect);
            results.addAll(heyProxy);
            results.addAll(heyNft);
            if (!wrkNft.isEmpty()) {
                summary.add(String.format(Locale.ROOT, "kernel DNAT for comparison (medians): %.0f %% of direct throughput, p99 %+.2f ms at the moderate rate",
                        100 * ratio(wrkNft, wrkDirect, Result::requestsPerSecond), median(heyNft, Result::p99Ms) - median(heyDirect, Result::p99Ms)));
            }
            summary.add(String.format(Locale.ROOT, "throughput through the proxy (wrk, median of %d): %.0f %% of direct (target >= 50 %%): %s",
                    o.repeat, 100 * ratio(wrkProxy, wrkDirect, Result::requestsPerSecond),
                    ratio(wrkProxy, wrkDirect, Result::requestsPerSecond) >= 0.5 ? "PASS" : "MISS"));
            double addedP99 = median(heyProxy, Result::p99Ms) - median(heyDirect, Result::p99Ms);
            double addedP50 = median(heyProxy, Result::p50Ms) - median(heyDirect, Result::p50Ms);
            summary.add(String.format(Locale.ROOT, "latency added at %d req/s (hey, medians of %d): p50 %+.2f ms, p99 %+.2f ms (target <= 1 ms): %s",
                    Math.max(1, o.rate / o.heyConnections) * o.heyConnections, o.repeat, addedP50, addedP99,
                    addedP99 <= 1.0 ? "PASS" : "MISS"));
            update(proxy, key, servicePort, fast);
            results.add(wrk(service, o.connections, o.seconds, "through proxy, 3 endpoints", 3));

            String limitedDirect = "http://127.0.0.1:" + limited.get(0) + "/";
            update(proxy, key, servicePort, limited.subList(0, 1));
            results.add(wrk(limitedDirect, o.connections, o.seconds, "capacity-limited: direct, one backend", 1));
            results.add(wrk(service, o.connections, o.seconds, "capacity-limited: through proxy, 1 endpoint", 1));
            update(proxy, key, servicePort, limited);
            results.add(wrk(service, o.connections, o.seconds, "capacity-limited: through proxy, 3 endpoints", 3));

            Result limitedOne = results.get(results.size() - 2);
            Result limitedThree = results.get(results.size() - 1);
            summary.add(String.format(Locale.ROOT, "capacity-limited backends, 3 endpoints against 1 through the proxy: x%.2f requests/s",
                    limitedThree.requestsPerSecond / limitedOne.requestsPerSecond));
            summary.add("proxy counters for the Service: " + proxy.status(key).counters());
            return table(o, results, summary);
        } finally {
            if (proxy != null) {
                await(proxy.stop());
            }
            await(proxyVertx.close());
            await(backends.close());
        }
    }

    static String table(Options o, List<Result> r, List<String> summary) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Service proxy benchmark: %d s per run, wrk with %d connections, hey with %d at %d req/s, proxy on %d event loops, "
                + "capacity-limited backends %d ms x %d slots%n%n", o.seconds, o.connections, o.heyConnections, o.rate, o.proxyLoops, o.serviceTimeMs, o.slots));
        b.append("| run | tool | endpoints | connections | requests/s | p50 ms | p99 ms | errors |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (Result x : r) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %.0f | %.2f | %.2f | %d |%n", x.run, x.tool, x.endpoints,
                    x.connections, x.requestsPerSecond, x.p50Ms, x.p99Ms, x.errors));
        }
        b.append('\n');
        summary.forEach(line -> b.append(line).append('\n'));
        return b.toString();
    }

    static double median(List<Result> rs, java.util.function.ToDoubleFunction<Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double ratio(List<Result> a, List<Result> b, java.util.function.ToDoubleFunction<Result> f) {
        return median(a, f) / median(b, f);
    }

    private static List<Integer> listen(Vertx vertx, int n, int serviceTimeMs, int slots) {
        List<Future<HttpServer>> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            servers.add(new BenchBackend((serviceTimeMs == 0 ? "pod-" : "limited-pod-") + i, serviceTimeMs, slots).listen(vertx));
        }
        return servers.stream().map(f -> await(f).actualPort()).toList();
    }

    private static void update(ServiceProxy proxy, ServiceKey key, int port, List<Integer> backendPorts) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < backendPorts.size(); i++) {
            endpoints.add(new Endpoint("pod-" + i, "127.0.0.1", Map.of("http", backendPorts.get(i)), true));
        }
        var applied = await(proxy.update(new ServiceEndpoints(key, "127.0.0.1", List.of(new ServicePort("http", port)), endpoints)));
        if (applied.rejection().isPresent()) {
            throw new IllegalStateException(applied.rejection().get());
        }
    }

    static Result wrk(String url, int connections, int seconds, String run, int endpoints) throws IOException, InterruptedException {
        String out = run(seconds, "wrk", "-t", "2", "-c", Integer.toString(connections), "-d", seconds + "s", "--latency", url);
        return new Result(run, "wrk", endpoints, connections, number(out, "Requests/sec:\\s+([0-9.]+)"),
                wrkLatency(out, "50%"), wrkLatency(out, "99%"),
                (long) (optional(out, "Non-2xx or 3xx responses:\\s+([0-9]+)") + socketErrors(out)));
    }

    static Result hey(String url, int connections, int rate, int seconds, String run, int endpoints) throws IOException, InterruptedException {
        int perWorker = Math.max(1, rate / connections);
        String out = run(seconds, "hey", "-z", seconds + "s", "-c", Integer.toString(connections), "-q", Integer.toString(perWorker), url);
        return new Result(run + " at " + perWorker * connections + " req/s", "hey", endpoints, connections,
                number(out, "Requests/sec:\\s+([0-9.]+)"),
                1000 * number(out, "50%+ in ([0-9.]+) secs"), 1000 * number(out, "99%+ in ([0-9.]+) secs"),
                errorCount(out) + non200(out));
    }

    static long non200(String heyOutput) {
        Matcher m = Pattern.compile("\\[([0-9]{3})\\]\\s+([0-9]+) responses").matcher(heyOutput);
        long n = 0;
        while (m.find()) {
            if (!m.group(1).equals("200")) {
                n += Long.parseLong(m.group(2));
            }
        }
        return n;
    }

    static long errorCount(String heyOutput) {
        int at = heyOutput.indexOf("Error distribution:");
        if (at < 0) {
            return 0;
        }
        Matcher m = Pattern.compile("\\[([0-9]+)\\]").matcher(heyOutput.substring(at));
        long n = 0;
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }

    static double socketErrors(String wrkOutput) {
        Matcher m = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)").matcher(wrkOutput);
        if (!m.find()) {
            return 0;
        }
        return Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3)) + Double.parseDouble(m.group(4));
    }

    /** wrk prints "     99%    1.23ms" with us, ms or s. */
    static double wrkLatency(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + percentile + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " in wrk output:\n" + out);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no match for " + regex + " in:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double optional(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() && m.groupCount() > 0 ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Runs a load generator, bounded: killed if it outlives its own duration by 30 s. */
    private static String run(int seconds, String... command) throws IOException, InterruptedException {
        System.err.println("running " + String.join(" ", command));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command[0] + " did not finish");
        }
        reader.join();
        String text = new String(out[0], StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command[0] + " failed (" + p.exitValue() + "):\n" + text);
        }
        return text;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (new java.io.File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
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

    /**
     * One nftables DNAT rule on the output hook, 127.0.0.1:port to 127.0.0.1:backend, in a table of
     * its own ("berth_bench_PID") that close and a shutdown hook delete. Loopback only: no NAT towards
     * any other network.
     */
    static final class NftDnat implements AutoCloseable {
        final int port;
        private final String table = "berth_bench_" + ProcessHandle.current().pid();
        private final Thread cleanup = new Thread(this::delete);

        NftDnat(int port, int backend) throws IOException, InterruptedException {
            this.port = port;
            removeOrphans();
            Runtime.getRuntime().addShutdownHook(cleanup);
            nft("add", "table", "ip", table);
            nft("add", "chain", "ip", table, "out", "{ type nat hook output priority -100 ; }");
            nft("add", "rule", "ip", table, "out", "ip", "daddr", "127.0.0.1", "tcp", "dport", Integer.toString(port),
                    "dnat", "to", "127.0.0.1:" + backend);
        }

        /** A benchmark killed with SIGKILL runs no shutdown hook: remove tables of benchmarks no longer alive. */
        private static void removeOrphans() throws IOException, InterruptedException {
            Process p = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("table ip (berth_bench_([0-9]+))").matcher(out);
            while (m.find()) {
                if (ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                    new ProcessBuilder("nft", "delete", "table", "ip", m.group(1)).start().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }

        static boolean available() {
            return "root".equals(System.getProperty("user.name")) && onPath("nft");
        }

        private void nft(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("nft"));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                delete();
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        }

        private void delete() {
            try {
                new ProcessBuilder("nft", "delete", "table", "ip", table).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                System.err.println("could not delete nft table " + table + ": " + e);
            }
        }

        @Override
        public void close() {
            delete();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }
}
