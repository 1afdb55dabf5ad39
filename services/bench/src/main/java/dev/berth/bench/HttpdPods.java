package dev.berth.bench;

import dev.berth.node.image.ImageService;
import dev.berth.node.network.IpForwarding;
import dev.berth.node.network.NodeNetworkOptions;
import dev.berth.node.network.PodNetwork;
import dev.berth.node.network.PodNetworks;
import dev.berth.node.network.PortmapChains;
import dev.berth.node.runtime.ContainerSpec;
import dev.berth.node.runtime.LocalBusyboxImage;
import dev.berth.node.runtime.RuncRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Real pods for the Service proxy benchmark: busybox {@code httpd} in runc containers, each in its own
 * network namespace wired by the CNI bridge plugin as a node agent wires a pod (Berth's generated
 * config, a pod CIDR and bridge of this run's own), so "straight to a pod" is its pod IP. Everything is
 * removed on close (and by a shutdown hook on Ctrl-C): containers, cgroups, namespaces, veths, the
 * bridge, host-local leases, portmap's chains if they were not there before, and ip_forward as it was.
 */
final class HttpdPods implements AutoCloseable {
    static final int PORT = 8080;
    static final long MEMORY = 32L << 20;

    record Pod(String name, String ip) {
        String url() { return "http://" + ip + ":" + PORT + "/"; }
    }

    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private final Path dir;
    private final boolean ipForwardBefore;
    private final boolean portmapChainsBefore;
    private final List<String> containers = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();
    private final Thread hook = new Thread(this::cleanUp, "berth-bench-pods-cleanup");
    private String cidrPrefix;
    private PodNetworks networks;
    private ImageService images;
    private RuncRuntime runtime;
    private boolean closed;

    private HttpdPods(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.ipForwardBefore = IpForwarding.enabled();
        this.portmapChainsBefore = iptablesNat().contains("CNI-HOSTPORT-DNAT");
    }

    /** Null when this machine can run such pods, else why not. */
    static String unavailable() {
        String runc = RuncStartBenchmark.unavailable();
        if (runc != null) return runc;
        if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge")) && !Files.isExecutable(Path.of("/opt/cni/bin/bridge"))) {
            return "skipped: no CNI bridge plugin in /usr/lib/cni or /opt/cni/bin";
        }
        return null;
    }

    /** Starts {@code count} pods, each limited to {@code cpuMillis} (0: no limit), and waits until each answers. */
    static HttpdPods start(int count, long cpuMillis, Path dir, PrintStream progress) throws Exception {
        HttpdPods p = new HttpdPods(dir);
        Runtime.getRuntime().addShutdownHook(p.hook);
        try {
            p.startAll(count, cpuMillis, progress);
            return p;
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    List<Pod> pods() { return List.copyOf(pods); }

    /** An address of this run's pod CIDR no pod gets (host-local hands them out from .2 up): a virtual IP. */
    String unusedIp() { return cidrPrefix + ".250"; }

    private void startAll(int count, long cpuMillis, PrintStream progress) throws Exception {
        // 10.197.x.0/24: a range of this run's own, beside the 10.199.x of the CNI tests.
        cidrPrefix = "10.197." + ThreadLocalRandom.current().nextInt(1, 250);
        String cidr = cidrPrefix + ".0/24";
        networks = PodNetworks.open(NodeNetworkOptions.defaults("bench-proxy-" + suffix, dir.resolve("node")), cidr);
        images = new ImageService(dir.resolve("store"), ImageService.Options.defaults());
        LocalBusyboxImage.ensure(images, dir.resolve("tmp"));
        runtime = new RuncRuntime(dir.resolve("runc"), dir.resolve("bundles"), dir.resolve("logs"), "/berth/bench-proxy-" + suffix, images);
        for (int i = 0; i < count; i++) {
            String name = "web-" + i;
            PodNetwork net = networks.setUp(name, List.of());
            String id = "bench-proxy-" + suffix + "-" + name;
            String script = "mkdir -p /www && echo hello from " + name + " > /www/index.html && exec httpd -f -p " + PORT + " -h /www";
            containers.add(id);
            runtime.start(ContainerSpec.of(id, "busybox", List.of("sh", "-c", script))
                    .withLimits(cpuMillis, MEMORY).withNetworkNamespace(net.netns()));
            Pod pod = new Pod(name, net.podIP());
            awaitAnswer(pod, Duration.ofSeconds(20));
            pods.add(pod);
            progress.printf("  pod %s: busybox httpd at %s (cpu limit %s)%n", name, pod.url(), cpuMillis == 0 ? "none" : cpuMillis + "m");
        }
    }

    /** Limits every pod's CPU from now on (runc update: the cgroup's cpu.max), as a pod's resources.limits.cpu. */
    void limitCpu(long cpuMillis) throws IOException, InterruptedException {
        for (String id : containers) {
            Process p = new ProcessBuilder("runc", "--root", dir.resolve("runc").toString(), "update", "--cpu-period", "100000",
                    "--cpu-quota", Long.toString(cpuMillis * 100), id).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("runc update " + id + " failed: " + out);
        }
    }

    /** Polls with one GET until the pod answers "hello from" its name. */
    private static void awaitAnswer(Pod pod, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(pod.ip(), PORT), 1000);
                s.setSoTimeout(2000);
                s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + pod.ip() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                String answer = new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
                if (answer.startsWith("HTTP/1.") && answer.contains("hello from " + pod.name())) return;
                last = new IOException("unexpected answer: " + answer.lines().findFirst().orElse(""));
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new IOException("pod " + pod.name() + " at " + pod.ip() + " never answered", last);
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself is running
        }
    }

    private synchronized void cleanUp() {
        if (closed) return;
        closed = true;
        List<String> problems = new ArrayList<>();
        if (runtime != null) {
            for (String id : containers) runtime.stop(id, Duration.ofSeconds(1));
            runtime.removeCgroupParent();
            runtime.close();
        }
        if (networks != null) networks.tearDownAll().forEach(e -> problems.add(e.toString())); // pods, then the bridge
        try {
            if (!portmapChainsBefore) PortmapChains.removeIfUnused();
            if (IpForwarding.enabled() != ipForwardBefore) IpForwarding.set(ipForwardBefore);
        } catch (IOException e) {
            problems.add(e.toString());
        }
        if (runtime == null && images != null) images.close(); // else the runtime closed it
        try {
            RuncStartBenchmark.deleteRecursively(dir);
        } catch (Exception e) {
            problems.add("cannot delete " + dir + ": " + e);
        }
        if (!problems.isEmpty()) System.err.println("berth-bench: cleaning up the pods: " + problems);
    }

    private static String iptablesNat() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("iptables-save", "-t", "nat").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }
}
