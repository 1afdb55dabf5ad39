package dev.berth.cli;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.scheduler.core.SchedulingPolicy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", description = "Run a local Berth cluster: Kafka broker, controller, scheduler, autoscaler, node agents and their Service proxies, until Ctrl-C.")
final class UpCommand implements Callable<Integer> {
    @Option(names = "--nodes", description = "local node agents to run (default ${DEFAULT-VALUE})", defaultValue = "1")
    int nodes;

    @Option(names = "--bootstrap-servers", description = "use this Kafka instead of embedding one")
    String bootstrapServers;

    @Option(names = "--no-auth", description = "run the embedded broker without authentication and ACLs (any local process may then write any topic)")
    boolean noAuth;

    @Option(names = "--port", description = "port of the embedded broker (default ${DEFAULT-VALUE}; a free one if taken)", defaultValue = "9092")
    int port;

    @Option(names = {"-f", "--apply"}, description = "apply this manifest once the cluster is ready")
    Path manifest;

    @Option(names = "--node-labels", paramLabel = "NODE=KEY=VALUE[,KEY=VALUE...]",
            description = "labels of one node, e.g. node-1=topology.kubernetes.io/zone=a,disk=ssd (repeat per node)")
    List<String> nodeLabels;

    @Option(names = "--node-taints", paramLabel = "NODE=KEY[=VALUE][:NoSchedule][,...]",
            description = "taints of one node, e.g. node-2=dedicated=gpu:NoSchedule (repeat per node)")
    List<String> nodeTaints;

    @Option(names = "--extended-resource", paramLabel = "[NODE=]NAME=COUNT",
            description = "an extended resource the nodes advertise, e.g. nvidia.com/gpu=2 (every node) or node-2=example.com/foo=4 (repeatable)")
    List<String> extendedResources;

    @Option(names = "--scheduling-policy", paramLabel = "spread|binpack", defaultValue = "spread",
            description = "spread pods over nodes and zones, or bin-pack them onto as few nodes as fit (default ${DEFAULT-VALUE})")
    String schedulingPolicy;

    @Option(names = "--node-prefix", defaultValue = LocalStack.DEFAULT_NODE_PREFIX, paramLabel = "PREFIX",
            description = "name the nodes PREFIX-1..PREFIX-N (default ${DEFAULT-VALUE}); their cgroups are /berth/PREFIX-i")
    String nodePrefix;

    @Option(names = "--registry-config", paramLabel = "CONFIG_JSON",
            description = "docker-style config.json whose \"auths\" the nodes pull with (e.g. ~/.docker/config.json)")
    Path registryConfig;

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "a registry the nodes may pull from over plain HTTP, besides 127.0.0.0/8 and localhost (repeatable)")
    List<String> insecureRegistries;

    @Option(names = "--allow-privileged",
            description = "let pods run containers with securityContext.privileged: true (every capability, no seccomp); refused by default")
    boolean allowPrivileged;

    @Option(names = "--cni-conf-dir", paramLabel = "DIR",
            description = "the nodes' CNI config directory (e.g. /etc/cni/net.d with Calico's or flannel's config); default: each node generates a bridge config from its pod CIDR")
    Path cniConfDir;

    @Option(names = "--cni-bin-dir", paramLabel = "DIR", split = ":",
            description = "where the nodes look up CNI plugins (colon-separated); default /usr/lib/cni:/opt/cni/bin")
    List<Path> cniBinDir;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9401",
            description = "where the services' Prometheus /metrics ports start on 127.0.0.1 (controller, scheduler, autoscaler, then +10+i for node i's agent, +30+i for its proxy); 0: any free ports; -1: none (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Override
    public Integer call() throws Exception {
        if (nodes < 1) throw new IllegalArgumentException("--nodes must be at least 1");
        NodeMarks marks = NodeMarks.parse(nodeLabels, nodeTaints, extendedResources);
        SchedulingPolicy policy = SchedulingPolicy.parse(schedulingPolicy);
        Path home = BusConfig.home();
        warnIfSigintIgnored();
        UpLock lock = UpLock.acquire(home); // before anything starts: a second `berth up` on this home stops here
        long t0 = System.nanoTime();
        System.out.println("Starting Berth in " + home + " (pid " + ProcessHandle.current().pid() + ") ...");
        LocalStack stack = new LocalStack(new LocalStack.Settings(bootstrapServers, portOrFree(port), home, nodes, marks, policy, nodePrefix)
                .withRegistries(registryConfig, insecureRegistries == null ? Set.of() : Set.copyOf(insecureRegistries))
                .withCni(cniConfDir, cniBinDir).withAllowPrivileged(allowPrivileged)).metricsOn(metricsPort).authenticated(bootstrapServers == null && !noAuth);
        Path clientFile = ClientProperties.in(home);
        boolean[] wroteClient = {false};
        AtomicReference<LocalControl> control = new AtomicReference<>();
        PublishedState state = new PublishedState(StateFile.in(home));
        CountDownLatch stopped = new CountDownLatch(1);
        // Registered before anything starts: a signal during start-up stops what has started so far.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Berth: stopping containers, control plane and broker ...");
            if (control.get() != null) control.get().close();
            stack.close();
            try {
                state.withdraw();
                if (wroteClient[0]) Files.deleteIfExists(clientFile); // its password is dead with this broker
                lock.close();
            } catch (IOException e) {
                System.err.println("warning: " + e.getMessage());
            }
            System.out.println("Berth stopped.");
            stopped.countDown();
        }, "berth-shutdown"));
        stack.start();
        control.set(LocalControl.start(stack));
        if (stack.embeddedBroker()) { // berth up owns client.properties when it runs the broker; an external one's is the user's
            ClientProperties.write(clientFile, stack.bus());
            wroteClient[0] = true;
        }
        state.publish(StateFile.ofThisProcess(stack.bus().bootstrapServers(), control.get().port(), control.get().token()));
        awaitNodes(stack.bus(), Set.copyOf(stack.nodes()), Duration.ofSeconds(30));
        System.out.printf("Berth is up in %.1f s.%n", (System.nanoTime() - t0) / 1e9);
        System.out.println("  kafka:       " + stack.bus().bootstrapServers() + (stack.embeddedBroker() ? " (embedded, data in " + home.resolve("kafka") + ")" : ""));
        System.out.println("  security:    " + (stack.bus().authenticated()
                ? "SASL/SCRAM-SHA-512 and ACLs, a principal per service; you are " + dev.berth.bus.security.Acls.USER + " (" + clientFile + ", mode 0600; docs/security.md)"
                : "none: any local process may read and write every topic" + (noAuth ? " (--no-auth)" : "")));
        System.out.println("  nodes:       " + String.join(", ", stack.nodes().stream().map(n -> n + marks.describe(n)).toList()));
        System.out.println("  proxies:     one per node; NodePorts on 127.0.0.1 (" + stack.nodes().get(0) + ")"
                + (stack.nodes().size() > 1 ? ", 127.0.0.2, ... for the others" : "") + ", cluster IPs (10.96.0.0/12) on berth-svc0");
        System.out.println("  metrics:     " + metricsLine(stack.metricsPorts()));
        System.out.println("  scheduling:  " + policy.name().toLowerCase(java.util.Locale.ROOT));
        System.out.println("  state file:  " + StateFile.in(home) + " (other berth commands find the cluster through it)");
        System.out.println("Try: ./berth get nodes | ./berth apply -f examples/web.yaml | ./berth get pods | ./berth get svc   (Ctrl-C or `./berth down` stops)");
        if (manifest != null) {
            System.out.println("Applying " + manifest + ":");
            if (ApplyCommand.apply(new ClusterOptions(), manifest) == 0) {
                List<ManifestReader.Item> items = ManifestReader.read(manifest.toString(), System.in);
                for (ManifestReader.Item item : items) {
                    if (!"Deployment".equals(item.kind())) continue;
                    String ns = item.object().path("metadata").path("namespace").asText("");
                    awaitRunning(stack.bus(), dev.berth.bus.contract.Namespaces.key(ns, item.name()), t0);
                }
                for (ManifestReader.Item item : items) {
                    if (!"Service".equals(item.kind())) continue;
                    for (com.fasterxml.jackson.databind.JsonNode port : item.object().path("spec").path("ports")) {
                        int nodePort = port.path("nodePort").asInt(0);
                        if (nodePort > 0) {
                            System.out.println("Service " + item.name() + " answers on every node's port " + nodePort
                                    + "; see the pods take turns: for i in 1 2 3 4 5 6; do curl -s http://127.0.0.1:" + nodePort + "/; done");
                        }
                    }
                }
            }
        }
        stopped.await();
        return 0;
    }

    /**
     * A background job of a non-interactive shell inherits SIGINT as ignored, and then the JVM installs
     * no handler for it (neither does {@code sun.misc.Signal.handle}: it returns SIG_IGN and leaves it
     * so), so Ctrl-C / kill -INT would do nothing. {@code ./berth up} resets SIGINT before starting Java
     * ({@code env --default-signal=INT}); started some other way, say so and how to stop it instead.
     */
    private static void warnIfSigintIgnored() {
        if (SignalDisposition.ignored(SignalDisposition.SIGINT)) {
            System.err.println("warning: SIGINT is ignored in this process (inherited, e.g. by a background job): Ctrl-C will not stop it;"
                    + " stop it with `berth down` or kill -TERM " + ProcessHandle.current().pid());
        }
    }

    /**
     * The state file as this process publishes and withdraws it: once the shutdown hook has withdrawn
     * it, a late publish (a signal right after start-up) writes nothing, so no stale file is left.
     */
    private static final class PublishedState {
        private final Path file;
        private StateFile written;
        private boolean withdrawn;

        PublishedState(Path file) {
            this.file = file;
        }

        synchronized void publish(StateFile state) throws IOException {
            if (withdrawn) throw new IllegalStateException("Berth is stopping");
            state.write(file);
            written = state;
        }

        synchronized void withdraw() throws IOException {
            withdrawn = true;
            if (written != null) written.removeIfOwned(file);
        }
    }

    /** Shows the applied deployment's pods once they all run, and how long that took from `berth up`. */
    private static void awaitRunning(BusConfig bus, String deployment, long t0) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ClusterView view = GetCommand.load(bus, Instant.now());
            var d = view.deployments().stream().filter(r -> r.spec.key().equals(deployment)).findFirst();
            if (d.isPresent() && view.readyPods(deployment) == d.get().spec.replicas()) {
                System.out.printf("%d/%d pods of %s Running, %.1f s after `berth up` started:%n",
                        d.get().spec.replicas(), d.get().spec.replicas(), deployment, (System.nanoTime() - t0) / 1e9);
                System.out.print(GetCommand.podsTable(view, Instant.now(), false, Selection.ALL, false, NamespaceOptions.of(d.get().namespace(), false)));
                return;
            }
            Thread.sleep(100);
        }
        System.out.println("pods of " + deployment + " are not all Running after 60 s: see ./berth get pods");
    }

    private static int portOrFree(int wanted) {
        try (ServerSocket s = new ServerSocket(wanted)) {
            return wanted;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Waits until every local node has sent a heartbeat, so the first apply finds its images. */
    private static void awaitNodes(BusConfig bus, Set<String> nodes, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Set<String> seen = new HashSet<>();
            for (Envelope e : LogReader.readEnvelopes(bus, List.of(Topic.NODE_HEARTBEATS))) {
                if (e.data() instanceof NodeHeartbeat h && e.time().isAfter(Instant.now().minusSeconds(10))) seen.add(h.node());
            }
            if (seen.containsAll(nodes)) return;
            Thread.sleep(300);
        }
        System.err.println("warning: not every node sent a heartbeat within " + timeout.toSeconds() + " s");
    }

    /** "controller :9401, scheduler :9402, ..." : where Prometheus scrapes each service's /metrics on 127.0.0.1. */
    static String metricsLine(java.util.Map<String, Integer> ports) {
        if (ports.isEmpty()) return "none";
        return "http://127.0.0.1:PORT/metrics, " + String.join(", ", ports.entrySet().stream().map(e -> e.getKey() + " :" + e.getValue()).toList());
    }
}
