package dev.berth.node;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.LogReader;
import dev.berth.bus.LogTail;
import dev.berth.bus.Publisher;
import dev.berth.bus.ServiceLoop;
import dev.berth.bus.Topic;
import dev.berth.bus.TopicAdmin;
import dev.berth.node.core.ConfigCore;
import dev.berth.node.core.ConfigObjects;
import dev.berth.node.core.ContainerExit;
import dev.berth.node.core.PodConfig;
import dev.berth.node.core.FoundContainer;
import dev.berth.node.core.NodeAction;
import dev.berth.node.core.NodeAgentCore;
import dev.berth.bus.metrics.LoopMetrics;
import dev.berth.bus.metrics.ServiceMetrics;
import dev.berth.node.core.NodeState;
import dev.berth.node.core.PodContainers;
import dev.berth.node.core.Probes;
import dev.berth.node.core.ResolvConf;
import dev.berth.node.core.Restarts;
import dev.berth.node.metrics.HostUsage;
import dev.berth.node.metrics.ResourceMetrics;
import dev.berth.node.core.ServiceDirectory;
import dev.berth.node.core.ServiceEnvironment;
import dev.berth.node.core.ServicesCore;
import dev.berth.node.logs.LogBatcher;
import dev.berth.node.logs.LogShipper;
import dev.berth.node.runtime.ContainerInfo;
import dev.berth.node.runtime.ContainerRuntime;
import dev.berth.node.runtime.ContainerSpec;
import dev.berth.node.runtime.ExitStatus;
import dev.berth.node.image.ImageException;
import dev.berth.node.image.ImageService;
import dev.berth.node.image.RegistryCredentials;
import dev.berth.node.runtime.LocalBusyboxImage;
import dev.berth.node.runtime.InMemoryRuntime;
import dev.berth.node.runtime.RuncRuntime;
import dev.berth.node.runtime.RunningContainer;
import dev.berth.node.network.CniException;
import dev.berth.node.network.PodNetwork;
import dev.berth.node.network.PodNetworking;
import java.io.IOException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's shell. The node runs on a {@link ServiceLoop} (see there for how every service
 * runs) with {@link NodeAgentCore} as its core: this node's placements (other nodes' records are
 * skipped by key, undecoded; bad ones set aside by the loop's door), resync, status-report and
 * heartbeat ticks, and what the runtime reports back are its inputs. What is the shell's own: the
 * effects — runtime calls on worker threads (runc calls block; or in memory in tests), whose
 * outcomes come back through {@link ServiceLoop#submit}, heartbeats sent fire-and-forget, log
 * rotation and the back-off timer. Desired state comes from the log at start and actual state from
 * the runtime, so a restarted agent adopts the containers it already runs. A second, small loop folds
 * berth.endpoints into a {@link ServiceDirectory}: each container starts with its namespace's Service variables
 * ({@link ServiceEnvironment}) and, with a pod network and {@link NodeAgentOptions#clusterDns()}, an
 * /etc/resolv.conf naming the cluster DNS ({@link ResolvConf}). A third folds berth.configmaps and berth.secrets into
 * {@link ConfigObjects}: a start resolves the pod's env sources and volumes from them ({@link PodConfig}) and makes the
 * volumes on the node ({@link PodVolumes}).
 */
public final class NodeAgentVerticle extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(NodeAgentVerticle.class);

    /**
     * runc starts at once. A start is CPU-bound (~30 ms of runc, shim and kernel time here): twice the
     * cores keeps the CPUs busy while some starts wait on runc's own hand-offs; measured on 2 cores, 2 at
     * once left CPU idle, 4 and 8 did equally well. Queued starts leave threads free for stops.
     */
    public static final int START_SLOTS = 2 * Runtime.getRuntime().availableProcessors();
    /** Threads for blocking runc calls: starts, and stops that may each wait out a grace period. */
    private static final int WORKERS = 2 * START_SLOTS;

    /** Opens the runtime an agent runs its containers on; called once per start, on a worker thread. */
    @FunctionalInterface
    public interface Runtimes {
        ContainerRuntime open(NodeAgentOptions options) throws Exception;
    }

    /**
     * runc under {@code <stateDir>/runc}, bundles and logs beside it, images in the node's own store under
     * {@code <stateDir>/images} (the host's busybox loaded into it if missing); the runtime closes the store.
     */
    public static final Runtimes RUNC = options -> {
        ImageService images = images(options);
        try {
            LocalBusyboxImage.ensure(images, options.stateDir().resolve("tmp"));
        } catch (IOException | RuntimeException e) {
            images.close();
            throw e;
        }
        return runc(options, images);
    };

    private static ImageService images(NodeAgentOptions options) throws IOException {
        RegistryCredentials credentials = options.dockerConfig() == null ? RegistryCredentials.NONE
                : RegistryCredentials.load(options.dockerConfig());
        return new ImageService(options.stateDir(), ImageService.Options.defaults().withCredentials(credentials)
                .withInsecureRegistries(options.insecureRegistries()));
    }

    /** Always the same in-memory runtime: its containers outlive an agent, so the next agent adopts them. */
    public static Runtimes inMemory(InMemoryRuntime runtime) {
        return options -> runtime;
    }

    private final BusConfig bus;
    private final NodeAgentOptions options;
    private final Runtimes runtimes;
    private final PodNetworkSetup networkSetup;
    /** The node's pod CIDR once known (from berth.nodes); read by workers when they open the networking. */
    private volatile String podCidr;
    /** The pods' networking, opened on a worker when the first pod needs it; null until then (or none). */
    private PodNetworking networking;
    private final Object networkingLock = new Object();
    private final String ctx;
    private final Instant startedAt = Instant.now();
    private ServiceMetrics metrics;
    private Timer startLatency;
    private ContainerRuntime runtime;
    private Publisher publisher;
    private WorkerExecutor workers;
    private ServiceLoop<NodeState> loop;
    private long wakeUpTimer = -1;
    private long probeTimer = -1;
    private Prober prober;
    /** Set when the agent stops: no probe runs or is scheduled any more (the prober is closed). */
    private boolean probesStopped;
    private boolean rotatingLogs;
    private long metricsTimer = -1;
    /** Ships runc containers' output to berth.logs; null for other runtimes (in memory, hollow nodes: no output). */
    private volatile LogShipper shipper;
    private long logsTimer = -1;
    private boolean shipping;
    private boolean warnedLogs;
    private boolean sampling;
    /** The last reading of the node's and its containers' usage: the next sample's rates are taken against it. */
    private ResourceMetrics.Reading lastReading;
    private long sequence;
    /** While stopping: the stops of the shutdown, which the agent waits for before it goes. */
    private List<Future<?>> shutdownStops;
    private volatile boolean keepContainersOnStop;

    /** runc with CNI pod networking from the generated config. */
    public NodeAgentVerticle(BusConfig bus, NodeAgentOptions options) {
        this(bus, options, RUNC);
    }

    /** CNI pod networking for {@link #RUNC}, in-memory addresses for any other runtime. */
    public NodeAgentVerticle(BusConfig bus, NodeAgentOptions options, Runtimes runtimes) {
        this(bus, options, runtimes, runtimes == RUNC ? PodNetworkSetup.CNI_GENERATED : PodNetworkSetup.IN_MEMORY);
    }

    /** Counts the loop, container starts and their latency into {@code m} (served by whoever runs the agent); before deploying. */
    public NodeAgentVerticle measuredBy(ServiceMetrics m) {
        this.metrics = m;
        if (m != null) {
            startLatency = Timer.builder("berth.container.start").description("From the decision to start a container to its process running (pull, network, runc)")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
                    .register(m.registry());
        }
        return this;
    }

    private void countStart(String result) {
        if (metrics != null) Counter.builder("berth.container.starts").description("Container starts by result").tag("result", result)
                .register(metrics.registry()).increment();
    }

    public NodeAgentVerticle(BusConfig bus, NodeAgentOptions options, Runtimes runtimes, PodNetworkSetup networkSetup) {
        this.bus = bus;
        this.options = options;
        this.runtimes = runtimes;
        this.networkSetup = networkSetup;
        this.ctx = "[node " + options.nodeName() + "]";
    }

    /**
     * Makes the next undeploy behave like a crashed agent: heartbeats and placement processing end, the
     * containers keep running (a fresh agent for this node adopts them). {@code berth node stop} uses it.
     */
    public void keepContainersRunningOnStop() {
        keepContainersOnStop = true;
    }

    private record Prepared(NodeState state, ServiceDirectory services, Map<TopicPartition, Long> end, List<ContainerInfo> found,
                            List<FoundContainer> adopted) {}

    /** The Services as of now (read from the log before the first start, then followed): for containers' variables. */
    private ServiceLoop<ServiceDirectory> services;
    /** The ConfigMaps and Secrets as of now (read before the first start, then followed): for env sources and volumes. */
    private ServiceLoop<ConfigObjects> config;
    private ConfigObjects initialConfig = ConfigObjects.EMPTY;
    private PodVolumes volumes;

    private static Map<TopicPartition, Long> only(Map<TopicPartition, Long> offsets, Topic topic) {
        Map<TopicPartition, Long> m = new java.util.HashMap<>();
        offsets.forEach((tp, o) -> { if (tp.topic().equals(topic.topicName())) m.put(tp, o); });
        return m;
    }

    @Override
    public Future<?> start() {
        publisher = Publisher.create(vertx, bus, "node-agent/" + options.nodeName());
        workers = vertx.createSharedWorkerExecutor("berth-runc-" + options.nodeName(), WORKERS);
        prober = new Prober(vertx, (container, command, timeout) -> workers.executeBlocking(
                () -> runtime.exec(container, command, timeout), false));
        return vertx.executeBlocking(this::prepare).onSuccess(prepared -> {
            NodeAgentCore core = new NodeAgentCore(new NodeAgentCore.Profile(options.capacity(), options.labels(), options.taints(), startedAt));
            loop = ServiceLoop.builder(vertx, bus, "node-agent/" + options.nodeName(), core, prepared.state())
                    .idempotent(publisher)
                    .limits(NodeAgentCore.LIMITS)
                    .source(placements(new LogTail.Start.FromOffsets(only(prepared.end(), Topic.PLACEMENTS))))
                    .source(NodeAgentCore.nodeStatuses(new LogTail.Start.FromOffsets(only(prepared.end(), Topic.NODES)), options.nodeName()))
                    .every(options.heartbeatInterval(), this::beat)
                    .every(options.resyncInterval(), NodeAgentCore.Resync::new)
                    .every(options.statusReportInterval(), NodeAgentCore.ReReport::new)
                    .effects(this::run)
                    .metrics(metrics == null ? LoopMetrics.NONE : metrics.loop())
                    .start();
            services = ServiceLoop.builder(vertx, bus, "node-agent/" + options.nodeName(), new ServicesCore(), prepared.services())
                    .idempotent(publisher) // publishes nothing: the directory is read by starts
                    .source(ServicesCore.endpoints(new LogTail.Start.FromOffsets(only(prepared.end(), Topic.ENDPOINTS))))
                    .effects(effects -> {})
                    .start();
            config = ServiceLoop.builder(vertx, bus, "node-agent/" + options.nodeName(), new ConfigCore(), initialConfig)
                    .idempotent(publisher) // publishes nothing: the objects are read by starts
                    .source(ConfigCore.configMaps(new LogTail.Start.FromOffsets(only(prepared.end(), Topic.CONFIG_MAPS))))
                    .source(ConfigCore.secrets(new LogTail.Start.FromOffsets(only(prepared.end(), Topic.SECRETS))))
                    .effects(effects -> {})
                    .start();
            loop.submit(beat()); // at once, not one interval from now
            metricsTimer = vertx.setPeriodic(options.metricsInterval().toMillis(), id -> sampleMetrics());
            if (shipper != null) logsTimer = vertx.setPeriodic(LOG_POLL.toMillis(), id -> shipLogs());
            List<FoundContainer> found = prepared.adopted();
            loop.submit(new NodeAgentCore.Adopt(found));
            for (int i = 0; i < found.size(); i++) {
                ContainerInfo c = prepared.found().get(i);
                log.info("{} found container {} ({})", ctx, c.id(), c.running() ? "running, pid " + c.pid() : "exited " + c.exit().code());
                if (c.running()) watchExit(c.id(), found.get(i).restarts(), runtime.watch(c.id(), c.pid()));
            }
            log.info("{} ready: {} pods placed here, {} containers found from an earlier run",
                    ctx, prepared.state().desired().size(), found.size());
        });
    }

    private ServiceLoop.Source placements(LogTail.Start start) {
        return NodeAgentCore.placements(start, NodeAgentCore.keysOf(Set.of(options.nodeName())));
    }

    /**
     * Blocking start-up: topics, the runtime, desired state from the log (through the loop's own door,
     * so the rebuild takes exactly the records the live loop takes), containers the runtime already has.
     */
    private Prepared prepare() throws Exception {
        TopicAdmin.ensureTopics(bus);
        runtime = runtimes.open(options);
        if (runtime instanceof RuncRuntime runc) {
            shipper = new LogShipper(options.nodeName(), runc::logFile, options.stateDir().resolve("log-positions"));
        }
        ServiceLoop.Source door = placements(new LogTail.Start.FromOffsets(Map.of()));
        ServiceLoop.Source statusDoor = NodeAgentCore.nodeStatuses(new LogTail.Start.FromOffsets(Map.of()), options.nodeName());
        ServiceLoop.Source servicesDoor = ServicesCore.endpoints(new LogTail.Start.FromOffsets(Map.of()));
        NodeState[] rebuilt = {NodeState.empty(options.nodeName(), options.restartBackoff()).withStartSlots(START_SLOTS)
                .waitingForPodCidr(networkSetup.waitsForPodCidr())};
        ServiceDirectory[] known = {ServiceDirectory.EMPTY}; // before any start: a pod sees the Services that exist
        volumes = PodVolumes.of(options, runtime instanceof RuncRuntime);
        ServiceLoop.Source configMapsDoor = ConfigCore.configMaps(new LogTail.Start.FromOffsets(Map.of()));
        ServiceLoop.Source secretsDoor = ConfigCore.secrets(new LogTail.Start.FromOffsets(Map.of()));
        ConfigObjects[] objects = {ConfigObjects.EMPTY};
        Map<TopicPartition, Long> end = LogReader.readAll(bus, List.of(Topic.PLACEMENTS, Topic.NODES, Topic.ENDPOINTS,
                Topic.CONFIG_MAPS, Topic.SECRETS), r -> {
            boolean secrets = r.topic().equals(Topic.SECRETS.topicName());
            if (secrets || r.topic().equals(Topic.CONFIG_MAPS.topicName())) {
                if (r.value() == null) objects[0] = ConfigCore.tombstone(objects[0], r.topic(), r.key());
                else NodeAgentCore.admit(secrets ? secretsDoor : configMapsDoor, r, NodeAgentCore.LIMITS)
                        .ifPresent(env -> objects[0] = ConfigCore.fold(objects[0], env.data()));
                return;
            }
            if (r.topic().equals(Topic.ENDPOINTS.topicName())) {
                if (r.value() == null) known[0] = known[0].remove(r.key());
                else NodeAgentCore.admit(servicesDoor, r, NodeAgentCore.LIMITS)
                        .ifPresent(env -> known[0] = known[0].put((dev.berth.bus.contract.Endpoints) env.data()));
                return;
            }
            NodeAgentCore.admit(r.topic().equals(Topic.NODES.topicName()) ? statusDoor : door, r, NodeAgentCore.LIMITS)
                    .ifPresent(env -> rebuilt[0] = NodeAgentCore.fold(rebuilt[0], env));
        });
        podCidr = rebuilt[0].network().podCidr();
        initialConfig = objects[0];
        List<ContainerInfo> containers = runtime.containers();
        return new Prepared(rebuilt[0], known[0], end, containers, adoptNetworks(rebuilt[0], containers));
    }

    /**
     * The networks of the containers found: each pod's is adopted (CNI CHECK, repaired if broken), so its
     * IP is reported again; networks left without a container (an agent that crashed between ADD and
     * start) are removed, a new start sets them up afresh.
     */
    private List<FoundContainer> adoptNetworks(NodeState state, List<ContainerInfo> containers) {
        List<FoundContainer> found = new ArrayList<>();
        for (ContainerInfo c : containers) found.add(PodAnnotations.found(c));
        PodNetworking net;
        try {
            net = networking();
        } catch (IOException | RuntimeException e) {
            log.warn("{} cannot open pod networking to adopt pods' networks: {}", ctx, e.toString());
            return found;
        }
        if (net == null) return found;
        Set<String> pods = new java.util.HashSet<>();
        Map<String, String> ips = new java.util.HashMap<>(); // a pod of several containers has one network
        for (int i = 0; i < found.size(); i++) {
            FoundContainer c = found.get(i);
            String pod = PodContainers.podOf(c.pod());
            if (!pods.add(pod)) {
                if (ips.containsKey(pod)) found.set(i, c.withPodIP(ips.get(pod)));
                continue;
            }
            var placed = state.desired().get(pod);
            try {
                var wired = net.setUp(pod, placed == null ? List.of() : PodNetworkSetup.portMappings(placed.template().ports()));
                log.info("{} pod {} network {} ({})", ctx, pod, wired.outcome().name().toLowerCase(java.util.Locale.ROOT), wired.podIP());
                ips.put(pod, wired.podIP());
                found.set(i, c.withPodIP(wired.podIP()));
            } catch (Exception e) {
                log.warn("{} pod {}: adopting its network failed: {}", ctx, pod, e.getMessage());
            }
        }
        try {
            for (String left : net.pods()) {
                if (pods.contains(left)) continue;
                log.info("{} removing the network of pod {}, which has no container", ctx, left);
                net.tearDown(left);
            }
        } catch (Exception e) {
            log.warn("{} removing leftover pod networks: {}", ctx, e.getMessage());
        }
        return found;
    }

    /** The pods' networking, opened at first need (on a worker: it may write the generated config). */
    private PodNetworking networking() throws IOException {
        synchronized (networkingLock) {
            if (networking == null) networking = networkSetup.open(options.nodeName(), options.stateDir(), podCidr);
            return networking;
        }
    }

    /** What a start gives back: the container, and its pod's IP (null: no pod network). */
    private record Launched(RunningContainer container, String podIP) {}

    /** The container's env sources name a missing object or key: the start fails with CreateContainerConfigError. */
    private static final class ConfigFailed extends Exception {
        ConfigFailed(String message) { super(message, null, false, false); }
    }

    /** The pod's network could not be set up: the start fails with FailedCreatePodSandBox. */
    private static final class SandboxFailed extends Exception {
        SandboxFailed(String message, Throwable cause) { super(message, cause); }
    }

    /**
     * Before the container starts: the pod's network, set up (CNI ADD into a fresh namespace) or, for a
     * container restarting in a pod that has one, reused as it is (no plugin run). Null without networking.
     */
    private PodNetwork wire(NodeAction.StartContainer start) throws SandboxFailed {
        String pod = PodContainers.podOf(start.pod()); // one network per pod, whichever of its containers starts first
        try {
            PodNetworking net = networking();
            if (net == null) {
                if (networkSetup.waitsForPodCidr()) throw new IOException("the node has no pod CIDR yet");
                return null;
            }
            synchronized (wiring.computeIfAbsent(pod, p -> new Object())) { // its containers may start at once
                java.util.Optional<PodNetwork> known = net.known(pod);
                if (known.isPresent()) return known.get();
                return net.setUp(pod, PodNetworkSetup.portMappings(start.template().ports()));
            }
        } catch (CniException | IOException | RuntimeException e) {
            throw new SandboxFailed(e.getMessage() != null ? e.getMessage() : e.toString(), e);
        }
    }

    /** Per pod: its containers' starts set its network up one at a time. */
    private final java.util.concurrent.ConcurrentHashMap<String, Object> wiring = new java.util.concurrent.ConcurrentHashMap<>();

    /** After the pod's (last) container is removed: its network goes (CNI DEL, namespace deleted). */
    private void unwire(String pod) {
        wiring.remove(pod);
        PodNetworking net;
        synchronized (networkingLock) {
            net = networking;
        }
        if (net == null) return;
        try {
            net.tearDown(pod);
        } catch (CniException | IOException | RuntimeException e) {
            log.warn("{} pod {}: removing its network failed: {}", ctx, pod, e.getMessage());
        }
    }

    private NodeAgentCore.Beat beat() {
        try {
            List<String> images = runtime.images();
            return new NodeAgentCore.Beat(images, sequence++, runtime.containerImages());
        } catch (RuntimeException e) { // e.g. the image store unreadable for a moment: beat without images
            log.warn("{} listing images for the heartbeat: {}", ctx, e.toString());
            return new NodeAgentCore.Beat(List.of(), sequence++);
        }
    }

    private static RuncRuntime runc(NodeAgentOptions options, ImageService images) {
        Path dir = options.stateDir();
        return new RuncRuntime(dir.resolve("runc"), dir.resolve("bundles"), dir.resolve("logs"), options.cgroupParent(), images,
                options.containerLogs()).allowPrivileged(options.allowPrivileged());
    }

    /** The shell's part of each decision, on the event loop: runtime calls go to workers, their outcomes come back as inputs. */
    private void run(List<Object> effects) {
        for (Object effect : effects) {
            if (effect instanceof NodeAgentCore.SendHeartbeat hb) {
                publisher.sendAndForget(List.of(new Publisher.Message(Topic.NODE_HEARTBEATS, options.nodeName(),
                        Envelope.spontaneous(hb.heartbeat(), publisher.source(), Instant.now())))); // the next beat replaces a lost one
            } else if (effect instanceof NodeAction.StartContainer start) {
                launch(start);
            } else if (effect instanceof NodeAction.StopContainer stop) {
                Future<?> stopped = stopContainer(stop.pod(), stop.gracePeriodSeconds());
                if (shutdownStops != null) shutdownStops.add(stopped);
            } else if (effect instanceof NodeAction.KillContainer kill) {
                killContainer(kill);
            } else if (effect instanceof NodeAction.RemovePodNetwork removal) {
                Future<?> removed = workers.executeBlocking(() -> {
                    unwire(removal.pod());
                    for (Exception e : volumes.remove(removal.pod())) log.warn("{} pod {}: removing its volumes: {}", ctx, removal.pod(), e.getMessage());
                    return null;
                }, false);
                if (shutdownStops != null) shutdownStops.add(removed);
            } else if (effect instanceof NodeAgentCore.UsePodCidr cidr) {
                if (!cidr.podCidr().equals(podCidr)) log.info("{} pod CIDR {}", ctx, cidr.podCidr());
                podCidr = cidr.podCidr();
            } else if (effect instanceof NodeAgentCore.WakeUpAt w) {
                scheduleWakeUp(w.at());
            } else if (effect instanceof Probes.ProbeAt at) {
                if (!probesStopped) probeTimer = timer(probeTimer, at.at(), NodeAgentCore.ProbeDue::new);
            } else if (effect instanceof Probes.RunProbe probe) {
                runProbe(probe);
            } else if (effect instanceof NodeAgentCore.RotateLogs) {
                rotateLogs();
            } else {
                log.error("{} bug: unknown effect {}", ctx, effect);
            }
        }
    }

    /**
     * Reads the node's and its running containers' usage (cgroup files, on a worker), and publishes the rates
     * since the last reading as one NodeMetrics, fire-and-forget like a heartbeat: the next sample replaces a
     * lost one. One reading at a time; none while stopping.
     */
    private void sampleMetrics() {
        if (sampling || shutdownStops != null || loop == null) return;
        sampling = true;
        List<ResourceMetrics.Target> targets = ResourceMetrics.targets(loop.state());
        workers.executeBlocking(() -> {
            Map<String, ResourceMetrics.ContainerSample> containers = new java.util.HashMap<>();
            for (ResourceMetrics.Target t : targets) {
                runtime.usage(t.pod()).ifPresent(u -> containers.put(t.pod(), new ResourceMetrics.ContainerSample(t.pod(), t.run(), u)));
            }
            return new ResourceMetrics.Reading(Instant.now(), HostUsage.read(Path.of("/proc")), containers);
        }, false).onComplete(ar -> {
            sampling = false;
            if (ar.failed()) {
                log.warn("{} reading resource usage: {}", ctx, ar.cause().toString());
                return;
            }
            Map<String, ResourceMetrics.PodInfo> pods = new java.util.HashMap<>();
            for (ResourceMetrics.Target t : targets) pods.put(t.pod(), t.info());
            ResourceMetrics.metrics(options.nodeName(), lastReading, ar.result(), pods).ifPresent(m ->
                    publisher.sendAndForget(List.of(new Publisher.Message(Topic.RESOURCE_METRICS, options.nodeName(),
                            Envelope.spontaneous(m, publisher.source(), m.at())))));
            lastReading = ar.result();
        });
    }

    /**
     * How often the shipper looks at the containers' log files (a stat per pod; it batches at most every 200 ms
     * per pod): a quiet pod's line waits at most this long before it goes.
     */
    static final Duration LOG_POLL = Duration.ofMillis(50);

    /** The run a pod's container is in, as the shipper tags its lines; null for a pod no longer placed here. */
    private static LogBatcher.Run logRun(NodeState s, String id, int restarts) {
        var placed = s.placementOf(id);
        if (placed == null) return null;
        String pod = PodContainers.podOf(id);
        String name = PodContainers.nameOf(id);
        var info = ResourceMetrics.PodInfo.of(placed.namespace(), pod, placed.deployment());
        return new LogBatcher.Run(pod, info.namespace(), name == null ? info.container() : name, restarts, id);
    }

    /** Reads the containers' new output (on a worker) and publishes the batches due; one poll at a time, none while stopping. */
    private void shipLogs() {
        if (shipping || shutdownStops != null || loop == null) return;
        shipping = true;
        List<LogBatcher.Run> runs = new ArrayList<>();
        NodeState s = loop.state();
        for (var r : s.actual().values()) {
            LogBatcher.Run run = logRun(s, r.pod(), r.restarts());
            if (run != null && r.startedAt() != null) runs.add(run); // a container that never started has no output
        }
        workers.executeBlocking(() -> shipper.poll(runs, Instant.now()), false).onComplete(ar -> {
            shipping = false;
            if (ar.failed()) {
                log.warn("{} reading container logs: {}", ctx, ar.cause().toString());
                return;
            }
            publishLogs(ar.result());
        });
    }

    /**
     * One record per batch, in order (one key per pod: the producer keeps their order). Not fire-and-forget: a
     * batch's position is remembered once the broker has it, so a restarted agent resumes after it (idempotent
     * producer: its retries neither lose nor double a batch).
     */
    private Future<?> publishLogs(List<LogBatcher.Batch> batches) {
        List<Future<?>> sent = new ArrayList<>();
        for (LogBatcher.Batch b : batches) {
            sent.add(publisher.send(Topic.LOGS, b.logs().pod(), Envelope.spontaneous(b.logs(), publisher.source(), Instant.now()))
                    .onSuccess(v -> {
                        shipper.acked(b);
                        warnedLogs = false;
                    })
                    .onFailure(e -> {
                        if (!warnedLogs) log.warn("{} publishing logs of pod {}: {}", ctx, b.logs().pod(), e.toString());
                        warnedLogs = true;
                    }));
        }
        return Future.join(sent);
    }

    /** The last output of every container, published before the agent goes (bounded: a few seconds). */
    private Future<?> flushLogs() {
        if (shipper == null) return Future.succeededFuture();
        return workers.executeBlocking(() -> shipper.flushAll(Instant.now()), false)
                .compose(this::publishLogs)
                .timeout(5, java.util.concurrent.TimeUnit.SECONDS)
                .recover(e -> Future.succeededFuture());
    }

    /** Caps container logs, on a worker (file copies), one pass at a time. */
    private void rotateLogs() {
        if (rotatingLogs || shutdownStops != null) return;
        rotatingLogs = true;
        workers.executeBlocking(() -> {
            runtime.rotateLogs();
            return null;
        }, false).onComplete(ar -> {
            rotatingLogs = false;
            if (ar.failed()) log.warn("{} rotating container logs: {}", ctx, ar.cause().toString());
        });
    }

    /** One timer for the earliest back-off that ends; the core decides what is due when it fires. */
    private void scheduleWakeUp(Instant at) {
        if (wakeUpTimer >= 0) vertx.cancelTimer(wakeUpTimer);
        wakeUpTimer = -1;
        if (at == null) return;
        long nanos = Duration.between(Instant.now(), at).toNanos();
        long millis = Math.max(1, (nanos + 999_999) / 1_000_000); // never early: the core compares with now
        wakeUpTimer = vertx.setTimer(millis, id -> {
            wakeUpTimer = -1;
            loop.submit(new NodeAgentCore.WakeUp());
        });
    }

    /** Runs one probe; its outcome comes back as an input, the state is never touched here. */
    private void runProbe(Probes.RunProbe probe) {
        if (probesStopped) return;
        // in-memory pod IPs are addresses only: the pod's servers listen on the node itself
        Probes.RunProbe target = networkSetup == PodNetworkSetup.IN_MEMORY ? probe.viaLoopback() : probe;
        prober.probe(target).onComplete(ar -> {
            Prober.Outcome o = ar.succeeded() ? ar.result() : new Prober.Outcome(false, String.valueOf(ar.cause()));
            if (!o.success()) log.debug("{} pod {} {} probe failed: {}", ctx, probe.pod(), probe.kind().toLowerCase(java.util.Locale.ROOT), o.message());
            loop.submit(new NodeAgentCore.ProbeResult(probe.pod(), probe.restarts(), o.success(), o.message(), probe.kind()));
        });
    }

    /** Replaces {@code timer} by one that submits {@code input} at {@code at} (never early); -1: none. */
    private long timer(long timer, Instant at, java.util.function.Supplier<Object> input) {
        if (timer >= 0) vertx.cancelTimer(timer);
        if (at == null) return -1;
        long nanos = Duration.between(Instant.now(), at).toNanos();
        long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
        return vertx.setTimer(millis, id -> {
            if (id == probeTimer) probeTimer = -1;
            loop.submit(input.get());
        });
    }

    /** Never throws: whatever goes wrong, before the worker or on it, comes back as a failed start (which frees the slot). */
    private void launch(NodeAction.StartContainer start) {
        String pod = start.pod();
        long launched = System.nanoTime();
        Future<Launched> started;
        try {
            var placed = loop.state().placementOf(pod);
            String namespace = placed == null ? null : placed.namespace();
            ContainerSpec base = PodAnnotations.spec(start);
            PodConfig.Volumes podVolumes = PodConfig.volumes(start.template(), namespace, config.state());
            if (!podVolumes.ok()) throw new PodVolumes.Failed(podVolumes.error());
            dev.berth.bus.contract.Container container = PodContainers.containerOf(pod, start.template());
            PodConfig.Env configured = PodConfig.env(container, namespace, config.state());
            if (!configured.ok()) throw new ConfigFailed(configured.error());
            // the Services that exist now, under the pod's own env (Kubernetes: on every container start)
            ContainerSpec spec = base.withEnv(ServiceEnvironment.withServices(configured.env(), namespace, services.state()));
            LogBatcher.Run logRun = shipper == null ? null : logRun(loop.state(), pod, start.restarts());
            started = workers.executeBlocking(() -> {
                if (logRun != null) shipper.beforeStart(logRun, Instant.now()); // the file so far: the previous run's
                // a pod's containers share its volumes: they are the pod's, not the container's
                ContainerSpec mounted = spec.withMounts(volumes.mounts(PodContainers.podOf(pod), container, podVolumes.volumes(),
                        start.template().resources().limits().memoryBytes()));
                PodNetwork net = wire(start); // before the container: it joins the pod's namespace
                RunningContainer c = runtime.start(net == null ? mounted : withClusterDns(mounted.withNetworkNamespace(net.netns()), namespace));
                return new Launched(c, net == null ? null : net.podIP());
            }, false);
        } catch (RuntimeException | PodVolumes.Failed | ConfigFailed e) {
            started = Future.failedFuture(e);
        }
        started.onComplete(ar -> {
            if (ar.failed()) {
                String why = ar.cause().getMessage() != null ? ar.cause().getMessage() : ar.cause().toString();
                boolean waitsForConfig = ar.cause() instanceof PodVolumes.Failed || ar.cause() instanceof ConfigFailed;
                if (waitsForConfig) log.debug("{} pod {} waits: {}", ctx, pod, why); // tried every 2 s: its status says it
                else log.warn("{} pod {} failed to start: {}", ctx, pod, why);
                String reason = ar.cause() instanceof ImageException ie ? ie.reason()
                        : ar.cause() instanceof SandboxFailed ? Restarts.FAILED_CREATE_POD_SANDBOX
                        : ar.cause() instanceof PodVolumes.Failed ? PodConfig.FAILED_MOUNT
                        : ar.cause() instanceof ConfigFailed ? PodConfig.MISSING_ENV_SOURCE : Restarts.START_ERROR;
                loop.submit(new NodeAgentCore.StartFailed(pod, reason, why));
                countStart("failed");
                return;
            }
            countStart("started");
            if (startLatency != null) startLatency.record(Duration.ofNanos(System.nanoTime() - launched));
            RunningContainer c = ar.result().container();
            String ip = ar.result().podIP();
            log.info("{} pod {} running, pid {}{}{}", ctx, pod, c.pid(), ip == null ? "" : ", IP " + ip,
                    start.restarts() > 0 ? ", restart " + start.restarts() : "");
            loop.submit(new NodeAgentCore.Started(pod, c.pid(), c.imageId(), ip));
            watchExit(pod, start.restarts(), c.exit());
        });
    }

    /** Only a pod with a network can reach the cluster DNS (a loopback-only one keeps the image's resolv.conf). */
    private ContainerSpec withClusterDns(ContainerSpec spec, String namespace) {
        return options.clusterDns() == null ? spec : spec.withResolvConf(ResolvConf.of(options.clusterDns(), namespace));
    }

    private void watchExit(String pod, int restarts, CompletableFuture<ExitStatus> exit) {
        exit.whenComplete((status, err) -> vertx.runOnContext(v -> {
            if (err != null) {
                log.warn("{} lost track of pod {}: {}", ctx, pod, err.toString());
                return;
            }
            loop.submit(new NodeAgentCore.Exited(new ContainerExit(pod, restarts, status.code(), status.oomKilled())));
        }));
    }

    private Future<?> stopContainer(String pod, int graceSeconds) {
        return workers.executeBlocking(() -> {
            runtime.stop(pod, Duration.ofSeconds(graceSeconds)); // TERM, grace, KILL, then remove everything
            if (shipper != null) shipper.afterStop(pod, Instant.now()); // its last words go with the next poll
            // a single-container pod's only container is gone: so are its network and volumes (a pod of several: RemovePodNetwork)
            if (PodContainers.podOf(pod).equals(pod)) {
                unwire(pod);
                for (Exception e : volumes.remove(pod)) log.warn("{} pod {}: removing its volumes: {}", ctx, pod, e.getMessage());
            }
            return null;
        }, false).onComplete(ar -> {
            if (ar.failed()) log.warn("{} stopping pod {}: {}", ctx, pod, ar.cause().toString());
            else log.info("{} pod {} stopped and removed", ctx, pod);
        }).transform(ar -> loop.submit(new NodeAgentCore.Stopped(pod)));
    }

    /** Kills a container that failed its liveness or startup probe; its exit comes back through its exit watcher, as any exit. */
    private void killContainer(NodeAction.KillContainer kill) {
        log.info("{} pod {} failed its probe: killing run {}", ctx, kill.pod(), kill.restarts());
        workers.executeBlocking(() -> {
            runtime.kill(kill.pod(), Duration.ofSeconds(kill.gracePeriodSeconds()));
            return null;
        }, false).onFailure(e -> log.warn("{} killing pod {}: {}", ctx, kill.pod(), e.toString()));
    }

    /** The node's state as its loop holds it now (tests). */
    NodeState state() { return loop.state(); }

    /**
     * Stops every container this agent runs (in parallel, each with its grace period), publishes their
     * last status and cleans up; or, after {@link #keepContainersRunningOnStop}, just goes away like a
     * crashed agent.
     */
    @Override
    public Future<?> stop() {
        if (wakeUpTimer >= 0) vertx.cancelTimer(wakeUpTimer);
        if (probeTimer >= 0) vertx.cancelTimer(probeTimer);
        probeTimer = -1;
        if (metricsTimer >= 0) vertx.cancelTimer(metricsTimer);
        metricsTimer = -1;
        if (logsTimer >= 0) vertx.cancelTimer(logsTimer);
        logsTimer = -1;
        probesStopped = true;
        if (prober != null) prober.close();
        if (loop == null) return closeAll(Future.succeededFuture());
        if (keepContainersOnStop) {
            log.info("{} agent stopped; its {} containers keep running", ctx, loop.state().actual().size());
            return loop.stop().eventually(this::stopServices).eventually(() -> {
                runtime.close();
                return workers.close();
            });
        }
        shutdownStops = new ArrayList<>();
        return loop.submit(new NodeAgentCore.Shutdown())
                .transform(ar -> Future.join(List.copyOf(shutdownStops)))
                .transform(ar -> flushLogs())
                .transform(ar -> loop.stop())
                .eventually(this::stopServices)
                .eventually(() -> vertx.executeBlocking(() -> {
                    runtime.removeCgroupParent();
                    runtime.close();
                    tearDownNetworking();
                    for (Exception e : volumes.removeAll()) log.warn("{} removing pod volumes: {}", ctx, e.getMessage());
                    return null;
                }))
                .eventually(() -> workers.close());
    }

    private Future<?> stopServices() {
        Future<?> configStopped = config == null ? Future.succeededFuture() : config.stop();
        return configStopped.eventually(() -> services == null ? Future.succeededFuture() : services.stop());
    }

    /** Every pod network left (the stops removed theirs) and the node's bridge: the node stops for good. */
    private void tearDownNetworking() {
        PodNetworking net;
        synchronized (networkingLock) {
            net = networking;
        }
        if (net == null) return;
        for (Exception e : net.tearDownAll()) log.warn("{} removing pod networks: {}", ctx, e.getMessage());
    }

    private Future<?> closeAll(Future<?> before) {
        return before.eventually(() -> publisher == null ? Future.succeededFuture() : publisher.close())
                .eventually(() -> workers == null ? Future.succeededFuture() : workers.close());
    }

    /**
     * Removes the pod networks of a node whose agent is not running (each pod's, then the node's bridge),
     * with the config it used last. Blocking; returns what failed.
     */
    public static List<Exception> removeNetworks(NodeAgentOptions options, PodNetworkSetup setup) {
        try {
            PodNetworking net = setup.open(options.nodeName(), options.stateDir(), null);
            return net == null ? List.of() : net.tearDownAll();
        } catch (IOException | RuntimeException e) {
            return List.of(e);
        }
    }

    /**
     * Stops and removes every container of a node whose agent is not running, e.g. one stopped by
     * {@code berth node stop} when the local stack shuts down. Blocking. No grace period: like a machine
     * switched off (TERM, then {@code runc delete --force}).
     */
    public static void removeContainers(NodeAgentOptions options) {
        try (RuncRuntime runtime = runc(options, images(options))) {
            for (String id : runtime.list()) runtime.stop(id, Duration.ZERO);
            runtime.removeCgroupParent();
            PodVolumes.of(options, true).removeAll();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
