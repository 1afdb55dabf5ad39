package dev.berth.node.runtime;

import dev.berth.bus.ImageReference;
import dev.berth.node.image.ImageException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A container runtime without processes, for tests of the node agent without root or runc and for
 * hollow nodes: a started container "runs" until it is stopped, or until a test makes it exit with a
 * code ({@link #exit}) or be OOM-killed ({@link #oomKill}). Starts can be made to fail
 * ({@link #failStarts}). Like runc with {@code --keep}, an ended container stays listed, with how it
 * ended, until it is stopped or started again; like runc's state dir, the containers outlive
 * {@link #close}, so a new agent given the same instance adopts them. Deterministic: pids count up from
 * 1000, no threads; exit futures complete on the caller's thread. Thread-safe.
 */
public final class InMemoryRuntime implements ContainerRuntime {
    /** 128 + SIGKILL: what a container killed by a stop, or by the OOM killer, exits with. */
    public static final int KILLED = 137;

    private final Clock clock;
    private final Set<String> images;
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final Map<String, String> failingStarts = new HashMap<>();
    private final Set<String> crashingStarts = new TreeSet<>();
    /** The latest stops, at most {@link #STOPS_KEPT}: a hollow node runs for hours. */
    private final java.util.ArrayDeque<String> stopped = new java.util.ArrayDeque<>();
    private static final int STOPS_KEPT = 1000;
    private long nextPid = 1000;
    private int starts;
    private boolean closed;

    private static final class Container {
        final ContainerSpec spec;
        final long pid;
        final Instant created;
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
        ExitStatus ended;
        long cpuMillicores;
        long memoryBytes;
        long cpuNanosBefore;
        Instant rateSince;

        Container(ContainerSpec spec, long pid, Instant created) {
            this.spec = spec;
            this.pid = pid;
            this.created = created;
        }
    }

    public InMemoryRuntime() {
        this(Clock.systemUTC(), List.of(ImageStore.BUSYBOX));
    }

    /** @param images the images it can run; a start of any other fails, like runc's with no rootfs */
    public InMemoryRuntime(Clock clock, List<String> images) {
        this.clock = clock;
        this.images = new TreeSet<>(images);
    }

    @Override
    public RunningContainer start(ContainerSpec spec) throws IOException {
        Container c;
        synchronized (this) {
            String id = spec.id();
            starts++;
            String failure = failingStarts.get(id);
            if (failure == null) failure = failingStarts.get("*");
            if (failure != null) throw new StartException(id, 1, failure, "");
            if (crashingStarts.contains(id)) throw new IllegalStateException("runtime crashed while starting " + id);
            if (!has(spec.image())) {
                // what a registry without the image answers, as RuncRuntime reports it
                throw new ImageException(ImageException.ERR_IMAGE_PULL, "failed to pull image \"" + spec.image()
                        + "\": manifest unknown (this in-memory runtime has " + images + ")");
            }
            Container previous = containers.get(id);
            if (previous != null && previous.ended == null) throw new IllegalStateException("container already running: " + id);
            c = new Container(spec, nextPid++, clock.instant());
            containers.put(id, c);
        }
        return new RunningContainer(spec.id(), c.pid, c.created, c.exit);
    }

    /** The next starts of {@code id} ("*": of every container) fail with {@code message}, until {@link #allowStarts}. */
    public synchronized void failStarts(String id, String message) {
        failingStarts.put(id, message);
    }

    public synchronized void allowStarts(String id) {
        failingStarts.remove(id);
        crashingStarts.remove(id);
    }

    /** The next starts of {@code id} throw an unchecked exception, as a runtime bug would, until {@link #allowStarts}. */
    public synchronized void crashStarts(String id) {
        crashingStarts.add(id);
    }

    /** The container's process exits with {@code code}. Whether it was running. */
    public boolean exit(String id, int code) {
        return end(id, new ExitStatus(code, false));
    }

    /** The kernel's OOM killer kills the container (exit 137, OOM-killed). Whether it was running. */
    public boolean oomKill(String id) {
        return end(id, new ExitStatus(KILLED, true));
    }

    private boolean end(String id, ExitStatus status) {
        Container c;
        synchronized (this) {
            c = containers.get(id);
            if (c == null || c.ended != null) return false;
            c.ended = status;
        }
        c.exit.complete(status);
        return true;
    }

    /** The process is killed (exit 137); the ended container stays until started again or stopped. */
    @Override
    public void kill(String id, Duration grace) {
        end(id, new ExitStatus(KILLED, false));
    }

    @Override
    public void stop(String id, Duration grace) {
        Container c;
        synchronized (this) {
            c = containers.remove(id);
            stopped.add(id);
            if (stopped.size() > STOPS_KEPT) stopped.poll();
            if (c == null) return;
            if (c.ended == null) c.ended = new ExitStatus(KILLED, false);
        }
        c.exit.complete(c.ended);
    }

    @Override
    public synchronized List<ContainerInfo> containers() {
        List<ContainerInfo> found = new ArrayList<>(containers.size());
        for (Container c : containers.values()) {
            found.add(new ContainerInfo(c.spec.id(), c.ended == null ? c.pid : 0, c.created, c.spec.annotations(), c.ended));
        }
        return found;
    }

    @Override
    public synchronized CompletableFuture<ExitStatus> watch(String id, long pid) {
        Container c = containers.get(id);
        if (c == null || c.pid != pid) return CompletableFuture.completedFuture(new ExitStatus(null, false));
        return c.exit.copy();
    }

    @Override
    public synchronized List<String> images() {
        return List.copyOf(images);
    }

    /** An image becomes available (as if loaded or pushed to the registry). */
    public synchronized void addImage(String image) {
        images.add(image);
    }

    /** By name as given, or as the same normalised reference ({@code busybox} = {@code docker.io/library/busybox:latest}). */
    private boolean has(String image) {
        if (images.contains(image)) return true;
        String ref = normalised(image);
        return ref != null && images.stream().anyMatch(i -> ref.equals(normalised(i)));
    }

    private static String normalised(String image) {
        try {
            return ImageReference.parse(image).toString();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The container "uses" {@code cpuMillicores} from now on and {@code memoryBytes} of working set (tests, hollow
     * nodes); 0 and 0 until then. Whether it runs.
     */
    public synchronized boolean use(String id, long cpuMillicores, long memoryBytes) {
        Container c = containers.get(id);
        if (c == null || c.ended != null) return false;
        c.cpuNanosBefore = cpuNanos(c);
        c.rateSince = clock.instant();
        c.cpuMillicores = cpuMillicores;
        c.memoryBytes = memoryBytes;
        return true;
    }

    /** What a test or benchmark made a container use ({@link #use}). */
    public record Use(long cpuMillicores, long memoryBytes) {}

    /** The usage set by {@link #use} for a running container; empty if none was set or it does not run. */
    public synchronized java.util.Optional<Use> using(String id) {
        Container c = containers.get(id);
        if (c == null || c.ended != null || c.rateSince == null) return java.util.Optional.empty();
        return java.util.Optional.of(new Use(c.cpuMillicores, c.memoryBytes));
    }

    /** Cumulative CPU as a cgroup counts it: the configured rate over the clock's time since it was set. */
    @Override
    public synchronized java.util.Optional<dev.berth.node.metrics.UsageSample> usage(String id) {
        Container c = containers.get(id);
        if (c == null || c.ended != null) return java.util.Optional.empty();
        return java.util.Optional.of(new dev.berth.node.metrics.UsageSample(cpuNanos(c), c.memoryBytes, 0));
    }

    private long cpuNanos(Container c) {
        long wall = Duration.between(c.rateSince == null ? c.created : c.rateSince, clock.instant()).toNanos();
        return c.cpuNanosBefore + c.cpuMillicores * Math.max(0, wall) / 1000;
    }

    /** Whether a container with this id exists and runs. */
    public synchronized boolean running(String id) {
        Container c = containers.get(id);
        return c != null && c.ended == null;
    }

    /** The spec a container was last started with, or null. */
    public synchronized ContainerSpec spec(String id) {
        Container c = containers.get(id);
        return c == null ? null : c.spec;
    }

    /** Ids of the containers stopped so far, in order (unknown ones included; the latest 1000). */
    public synchronized List<String> stopped() {
        return List.copyOf(stopped);
    }

    /** How many starts were attempted, failed ones included. */
    public synchronized int starts() {
        return starts;
    }

    /** Whether {@link #close} was called (containers keep "running"). */
    public synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
