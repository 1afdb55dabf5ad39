package dev.berth.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.ImageReference;
import dev.berth.bus.contract.ContainerImage;
import dev.berth.node.image.Digest;
import dev.berth.node.image.ImageException;
import dev.berth.node.image.ImageHandle;
import dev.berth.node.image.ImageService;
import dev.berth.node.image.ImageSummary;
import dev.berth.node.image.ProcessSpec;
import dev.berth.node.image.PullPolicy;
import dev.berth.node.image.Rootfs;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs containers with the runc binary.
 *
 * <p>Each container runs under a tiny shim: a detached shell ({@code setsid}, its own session) that runs
 * {@code runc run --keep} in the foreground and, when runc exits with the container's status, writes that
 * status to {@code <bundle>/exit}. The shim outlives this JVM, so a restarted agent still learns the exit
 * code of a container it did not start, and neither a crashed agent nor a Ctrl-C to its terminal touches
 * the containers. {@code --keep} leaves an ended container's runc state and cgroup in place: its OOM-kill
 * counter can be read after it ended, and a later agent finds it with its annotations. {@link #cleanup}, or
 * the next start of the same id, removes it.
 *
 * <p>Images come from the node's {@link ImageService}: a start ensures the image (pulling it as the pod's
 * imagePullPolicy says; an {@link ImageException} carries the waiting reason), mounts the container's own
 * writable overlay rootfs at {@code <bundle>/rootfs} and runs the process the image config resolves to.
 * The rootfs is unmounted before the bundle is deleted; an adopted container keeps its mount. The runtime
 * owns the image service and closes it with itself.
 */
public final class RuncRuntime implements ContainerRuntime {

    private static final System.Logger LOG = System.getLogger(RuncRuntime.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final File DEV_NULL = new File("/dev/null");

    static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    static final Duration KILL_WAIT = Duration.ofSeconds(10);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final long PID_POLL_MILLIS = 2;
    private static final long SAFETY_POLL_MILLIS = 100;
    private static final int LOG_TAIL_LINES = 20;
    private static final String EXIT_FILE = "exit";
    /** In each container's OCI annotations: the digest of its image, so `image rm|prune` keeps images in use. */
    static final String IMAGE_DIGEST_ANNOTATION = "dev.berth.image-digest";
    /** Also: {@code repo@digest}, which a later agent reports as the adopted container's imageID. */
    static final String IMAGE_ID_ANNOTATION = "dev.berth.image-id";
    /** $1 runc, $2 root, $3 bundle, $4 pid file, $5 id, $6 exit file. The rename makes the file appear complete. */
    private static final String SHIM = "\"$1\" --root \"$2\" run --keep --bundle \"$3\" --pid-file \"$4\" \"$5\"; "
            + "code=$?; echo $code > \"$6.tmp\" && mv -f \"$6.tmp\" \"$6\"; exit $code";

    private final String runc;
    private final Path root;
    private final Path bundles;
    private final Path logs;
    private final String cgroupParent;
    private final ImageService images;
    private final Cgroups cgroups;
    private final LogLimits logLimits;
    /** The shim of each container started by this instance (an earlier agent's shims are not our children). */
    private final ConcurrentMap<String, Process> processes = new ConcurrentHashMap<>();
    private final ExitWatcher exits;
    /** Made at the first start: a runtime that only lists or stops containers needs no inotify instance. */
    private FileWaiter pidFiles;
    private boolean closed;
    /** kubelet's --allow-privileged: off unless the node says so, so a pod cannot ask its way out of the container. */
    private volatile boolean privilegedAllowed;

    /**
     * @param runcRoot     runc state dir ({@code runc --root}): one per node agent, so agents sharing a host
     *                     never see each other's containers
     * @param cgroupParent e.g. "/berth/node-1"; each container gets {@code <cgroupParent>/<id>}
     */
    public RuncRuntime(Path runcRoot, Path bundlesDir, Path logsDir, String cgroupParent, ImageService images) {
        this(runcRoot, bundlesDir, logsDir, cgroupParent, images, LogLimits.KUBELET_DEFAULTS);
    }

    public RuncRuntime(Path runcRoot, Path bundlesDir, Path logsDir, String cgroupParent, ImageService images, LogLimits logLimits) {
        this(runcRoot, bundlesDir, logsDir, cgroupParent, images, Cgroups.detect(), "runc", logLimits);
    }

    public RuncRuntime(Path runcRoot, Path bundlesDir, Path logsDir, String cgroupParent, ImageService images,
                       Cgroups cgroups, String runcBinary) {
        this(runcRoot, bundlesDir, logsDir, cgroupParent, images, cgroups, runcBinary, LogLimits.KUBELET_DEFAULTS);
    }

    public RuncRuntime(Path runcRoot, Path bundlesDir, Path logsDir, String cgroupParent, ImageService images,
                       Cgroups cgroups, String runcBinary, LogLimits logLimits) {
        this.root = runcRoot.toAbsolutePath().normalize();
        this.bundles = bundlesDir.toAbsolutePath().normalize();
        this.logs = logsDir.toAbsolutePath().normalize();
        this.logLimits = logLimits;
        this.cgroupParent = "/" + cgroupParent.replaceAll("^/+|/+$", "");
        this.images = images;
        this.cgroups = cgroups;
        this.runc = runcBinary;
        this.exits = new ExitWatcher(this.cgroupParent.replace('/', '-'));
    }

    public String cgroupsPath(String id) {
        if (id.isEmpty() || id.contains("/") || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("not a plain cgroup name: " + id);
        }
        return cgroupParent + "/" + id;
    }

    public Cgroups cgroups() {
        return cgroups;
    }

    /**
     * Container stdout+stderr, and runc's own errors; appended across restarts of the same id, rotated by
     * {@link #rotateLogs} ({@code <id>.log.1} … hold older output).
     */
    public Path logFile(String id) {
        return inside(logs, id + ".log");
    }

    /**
     * {@code dir/name}, refusing a name that, once normalised, would leave {@code dir} or be {@code dir}
     * itself (e.g. "..", "a/../../b"): ids come from records and from runc's state.
     */
    static Path inside(Path dir, String name) {
        Path p = dir.resolve(name).normalize();
        if (!dir.equals(p.getParent())) throw new IllegalArgumentException("not a plain file name inside " + dir + ": " + name);
        return p;
    }

    private Path bundle(String id) {
        return inside(bundles, id);
    }

    /** Caps every container log of this runtime at its {@link LogLimits} (copy and truncate, see {@link LogRotation}). */
    @Override
    public void rotateLogs() {
        if (!Files.isDirectory(logs)) return;
        try (var files = Files.list(logs)) {
            for (Path log : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".log"))::iterator) {
                try {
                    if (LogRotation.rotateIfLarger(log, logLimits)) LOG.log(Level.DEBUG, "rotated {0}", log);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "cannot rotate " + log, e);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot list " + logs, e);
        }
    }

    public LogLimits logLimits() {
        return logLimits;
    }

    /** The references of the node's images. */
    @Override
    public List<String> images() {
        return images.list().stream().map(ImageSummary::reference).toList();
    }

    /** Names: the reference, then {@code repo@digest}; size as pulled. */
    @Override
    public List<ContainerImage> containerImages() {
        return images.list().stream().map(i -> new ContainerImage(
                List.of(i.reference(), ImageReference.parse(i.reference()).name() + "@" + i.digest()), i.size())).toList();
    }

    /**
     * Removes an image reference ({@code name@digest}: every reference to it) unless a container of this
     * node uses it; returns the references removed.
     */
    public List<String> removeImage(String reference) throws IOException {
        ImageReference ref;
        try {
            ref = ImageReference.parse(reference);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return images.remove(ref, imagesInUse());
    }

    /** Removes every image no container of this node (running or ended) uses; returns the references removed. */
    public List<String> pruneImages() throws IOException {
        return images.prune(imagesInUse());
    }

    /** The repository digests of the images this node's containers were started from (from their annotations). */
    private java.util.Set<Digest> imagesInUse() {
        java.util.Set<Digest> used = new java.util.HashSet<>();
        for (ContainerInfo c : containers()) {
            String d = c.annotations().get(IMAGE_DIGEST_ANNOTATION);
            if (d != null) {
                try {
                    used.add(Digest.parse(d));
                } catch (IllegalArgumentException ignored) {
                    // not ours
                }
            }
        }
        return used;
    }

    public ImageService imageService() {
        return images;
    }

    /** Lets containers with {@code securityContext.privileged: true} run on this node (refused by default). */
    public RuncRuntime allowPrivileged(boolean allowed) {
        this.privilegedAllowed = allowed;
        return this;
    }

    /** The image of a spec, pulled if its policy says so; throws {@link ImageException} with the pod's waiting reason. */
    ImageHandle image(ContainerSpec spec) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(spec.image());
        } catch (IllegalArgumentException e) {
            throw new ImageException(ImageException.INVALID_IMAGE_NAME, e.getMessage(), e);
        }
        if (LocalBusyboxImage.isLocal(ref)) {
            // never pulled (no docker.io): made again from the host if it was removed
            try {
                LocalBusyboxImage.ensure(images, bundles.resolveSibling("tmp"));
            } catch (IOException | RuntimeException e) {
                throw new ImageException(ImageException.ERR_IMAGE_PULL, "cannot build busybox from the host: " + e.getMessage(), e);
            }
            return images.ensure(ref, PullPolicy.IF_NOT_PRESENT);
        }
        return images.ensure(ref, PullPolicy.of(spec.imagePullPolicy(), ref));
    }

    /** Mounts the container's rootfs and writes its config; on failure leaves nothing mounted. */
    private void prepareBundle(Path bundle, ContainerSpec spec, ImageHandle image) throws IOException {
        ContainerSecurity.refusal(spec.id(), spec.securityContext(), privilegedAllowed).ifPresent(why -> {
            throw new ImageException(ProcessSpec.CONFIG_ERROR, why);
        });
        Files.createDirectories(bundle);
        Rootfs rootfs = images.mountRootfs(image, bundle);
        try {
            ProcessSpec process;
            try {
                process = image.config().resolveFor(ContainerSecurity.who(spec.id()), spec.command(), spec.args(), spec.env(),
                        spec.workingDir(), spec.securityContext(), rootfs.path());
            } catch (ImageException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ImageException(ProcessSpec.CONFIG_ERROR, String.valueOf(e.getMessage()), e);
            }
            Map<String, String> annotations = new TreeMap<>(spec.annotations());
            annotations.put(IMAGE_DIGEST_ANNOTATION, image.digest().toString());
            annotations.put(IMAGE_ID_ANNOTATION, image.imageId());
            OciBundle.write(bundle, spec.withAnnotations(annotations), process, rootfs.path(), cgroupsPath(spec.id()),
                    cgroups.supportsMemsw());
        } catch (IOException | RuntimeException e) {
            removeBundle(bundle);
            throw e;
        }
    }

    /** Unmounts the rootfs first: deleting the bundle must never walk into the image's layers. */
    private void removeBundle(Path bundle) throws IOException {
        if (!Files.exists(bundle, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        images.unmount(bundle);
        ImageStore.deleteRecursively(bundle);
    }

    /**
     * Starts a container and returns once its init process has started (runc wrote the pid file, which it
     * does after the process exec'd). What an earlier, ended run of the same id left is removed first.
     * Throws {@link StartException} if runc fails or times out; nothing of the failed container is left behind.
     */
    @Override
    public RunningContainer start(ContainerSpec spec) throws IOException {
        String id = spec.id();
        Path bundle = bundle(id);
        Path pidFile = bundle.resolve("init.pid");
        Path log = logFile(id);
        Process shim;
        long logOffset;
        Instant startedAt;
        ImageHandle image = image(spec); // outside the lock: a pull may take long, other starts go on meanwhile
        synchronized (this) { // check-and-spawn atomically so one id never gets two runc processes
            Process previous = processes.get(id);
            if (previous != null) {
                // A shim that recorded its container's exit is only finishing; anything else still runs.
                if (!Files.exists(exitFile(id)) || !waitFor(previous, KILL_WAIT)) {
                    throw new IllegalStateException("container already running: " + id);
                }
                processes.remove(id, previous);
            }
            removeEnded(id);
            Files.createDirectories(logs);
            prepareBundle(bundle, spec, image);
            logOffset = Files.exists(log) ? Files.size(log) : 0;
            startedAt = Instant.now();
            try {
                shim = new ProcessBuilder("setsid", "-w", "/bin/sh", "-c", SHIM, "berth-shim", runc, root.toString(),
                        bundle.toString(), pidFile.toString(), id, exitFile(id).toString())
                        .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) { // no setsid or sh
                removeBundle(bundle);
                throw e;
            }
            processes.put(id, shim);
        }
        long pid;
        try {
            pid = awaitPidFile(id, shim, pidFile, log, logOffset);
        } catch (IOException | RuntimeException e) {
            shim.destroyForcibly(); // on timeout; cleanup's `delete --force` then kills the container
            try {
                cleanup(id);
            } catch (RuntimeException cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
        CompletableFuture<ExitStatus> exit = watch(id, pid);
        shim.onExit().thenRun(() -> {
            processes.remove(id, shim);
            exits.checkSoon(id); // no need to wait for the next poll
        });
        LOG.log(Level.INFO, "container {0} started, pid {1}, in {2} ms", id, Long.toString(pid),
                Long.toString(Duration.between(startedAt, Instant.now()).toMillis()));
        return new RunningContainer(id, pid, startedAt, exit, image.imageId());
    }

    /** How the container ends; for a container this instance did not start (see {@link #containers}). */
    @Override
    public CompletableFuture<ExitStatus> watch(String id, long pid) {
        return exits.watch(id, exitFile(id), pid).thenApply(code -> exitStatus(id, code));
    }

    private Path exitFile(String id) {
        return bundle(id).resolve(EXIT_FILE);
    }

    /** Reads the OOM verdict while the ended container's cgroup still exists (runc run --keep). */
    private ExitStatus exitStatus(String id, Integer code) {
        boolean oom;
        try {
            OptionalLong kills = cgroups.oomKills(cgroupsPath(id));
            // Kernels before 4.13 count no kills: a SIGKILL after hitting the limit is the best evidence there.
            oom = kills.isPresent() ? kills.getAsLong() > 0
                    : Integer.valueOf(137).equals(code) && cgroups.memoryLimitHits(cgroupsPath(id)).orElse(0) > 0;
        } catch (IllegalStateException noMemoryController) {
            oom = false;
        }
        LOG.log(Level.INFO, "container {0} exited with status {1}{2}", id, code, oom ? " (OOM-killed)" : "");
        return new ExitStatus(code, oom);
    }

    /**
     * Removes what an ended earlier run of this id left (its kept runc state, cgroup and bundle), so the id
     * can start again; refuses if that container still runs.
     */
    private void removeEnded(String id) throws IOException {
        Path bundle = bundle(id);
        if (!Files.exists(bundle)) return;
        Result r = runc("delete", id); // without --force: never kills a running container
        if (r.code != 0 && !r.out.contains("does not exist")) {
            throw new IllegalStateException("container " + id + " still exists: " + r.out.strip());
        }
        exits.forget(id);
        cgroups.remove(cgroupsPath(id));
        removeBundle(bundle);
    }

    /**
     * Waits for the pid file (runc writes it by rename, so once it exists it is complete) or the shim's end,
     * whichever comes first. Woken by inotify rather than polling: a burst of starts on a small machine
     * cannot spare a thread wake-up per start every few ms. A slow poll stays as a safety net.
     */
    private long awaitPidFile(String id, Process shim, Path pidFile, Path log, long logOffset)
            throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        CompletableFuture<Void> appeared;
        long pollMillis = SAFETY_POLL_MILLIS;
        try {
            appeared = pidFiles().await(pidFile);
        } catch (IOException | RuntimeException noWatch) { // e.g. out of inotify watches
            LOG.log(Level.DEBUG, "cannot watch for the pid file of {0}, polling: {1}", id, noWatch.toString());
            appeared = new CompletableFuture<>();
            pollMillis = PID_POLL_MILLIS;
        }
        CompletableFuture<Object> either = CompletableFuture.anyOf(appeared, shim.onExit());
        try {
            while (true) {
                Optional<Long> pid = readPid(pidFile);
                if (pid.isPresent()) return pid.get();
                if (!shim.isAlive()) {
                    // A container that exits at once still gets its pid file before runc exits: look again.
                    pid = readPid(pidFile);
                    if (pid.isPresent()) return pid.get();
                    int code = shim.exitValue(); // runc's own
                    throw new StartException(id, code, "runc exited with " + code, logTail(log, logOffset));
                }
                if (System.nanoTime() > deadline) {
                    throw new StartException(id, -1, "no pid file after " + START_TIMEOUT.toSeconds() + " s",
                            logTail(log, logOffset));
                }
                try {
                    either.get(pollMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // look again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting " + id);
        } finally {
            appeared.cancel(false);
        }
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        if (!pidFile.toFile().exists()) return Optional.empty(); // a plain stat: no exception per poll
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops a container: SIGTERM, up to {@code grace} to exit, then SIGKILL, then {@link #cleanup}. Safe for
     * containers that already exited or are unknown. A container's init (PID 1 of its pid namespace) ignores
     * signals it has no handler for, so e.g. a bare {@code sleep} only dies at the KILL.
     */
    @Override
    public void stop(String id, Duration grace) {
        terminate(id, grace);
        cleanup(id);
    }

    /** As {@link #stop} without the cleanup: the ended container stays for its exit to be read and a restart to replace it. */
    @Override
    public void kill(String id, Duration grace) {
        terminate(id, grace);
        if (processes.get(id) == null && isAlive(id)) signal(id, "KILL"); // adopted: no process to wait on, and no cleanup's KILL
    }

    /** TERM, up to {@code grace}, then KILL. */
    private void terminate(String id, Duration grace) {
        Process p = processes.get(id);
        if (p != null) {
            if (p.isAlive()) {
                signal(id, "TERM");
                if (!waitFor(p, grace)) {
                    LOG.log(Level.INFO, "container {0} still running after {1} grace: KILL", id, grace);
                    signal(id, "KILL");
                    if (!waitFor(p, KILL_WAIT)) LOG.log(Level.WARNING, "container {0} survived KILL", id);
                }
            }
        } else if (isAlive(id)) {
            // Not started by this instance (e.g. left by a previous agent): no process to wait on, so poll.
            signal(id, "TERM");
            long deadline = System.nanoTime() + grace.toNanos();
            while (System.nanoTime() < deadline && isAlive(id)) sleep(20);
            // cleanup's `delete --force` sends the KILL.
        }
    }

    /**
     * Forgets a container: {@code runc delete --force} (kills it if running, removes state and cgroup),
     * removes any cgroup left behind and the bundle dir. Keeps the log file. Idempotent.
     */
    public void cleanup(String id) {
        Result r = runc("delete", "--force", id);
        if (r.code != 0 && !r.out.contains("does not exist")) {
            LOG.log(Level.WARNING, "runc delete {0} failed: {1}", id, r.out);
        }
        exits.forget(id);
        Process p = processes.remove(id);
        if (p != null && !waitFor(p, KILL_WAIT)) p.destroyForcibly();
        cgroups.remove(cgroupsPath(id)); // only matters if runc died before removing it
        try {
            removeBundle(bundle(id));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete bundle of " + id, e);
        }
        // rmdir fails with EBUSY while the killed init is still being reaped: try again for a moment
        for (int i = 0; i < 50 && cgroups.exists(cgroupsPath(id)); i++) {
            sleep(20);
            cgroups.remove(cgroupsPath(id));
        }
    }

    /**
     * The containers in this runtime's runc root, running or ended, with their annotations; an ended one with
     * how it ended. A restarted agent adopts them from here.
     */
    @Override
    public List<ContainerInfo> containers() {
        List<ContainerInfo> found = new ArrayList<>();
        for (JsonNode c : runcList()) {
            String id = c.path("id").asText();
            Map<String, String> annotations = new TreeMap<>();
            c.path("annotations").fields().forEachRemaining(a -> annotations.put(a.getKey(), a.getValue().asText()));
            Instant created = Instant.parse(c.path("created").asText(Instant.EPOCH.toString()));
            ExitStatus exit = "stopped".equals(c.path("status").asText()) ? exitStatus(id, awaitExitFile(id)) : null;
            found.add(new ContainerInfo(id, c.path("pid").asLong(), created, annotations, exit));
        }
        return found;
    }

    /** The exit code of a stopped container: its shim writes it moments after runc saw the container end. */
    private Integer awaitExitFile(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (true) {
            Optional<Integer> code = ExitWatcher.readExitFile(exitFile(id));
            if (code.isPresent() || System.nanoTime() > deadline) return code.orElse(null);
            sleep(50);
        }
    }

    /** Ids of the containers in this runtime's runc root. */
    @Override
    public List<String> list() {
        List<String> ids = new ArrayList<>();
        for (JsonNode c : runcList()) ids.add(c.path("id").asText());
        return ids;
    }

    private JsonNode runcList() {
        Result r = runc("list", "--format", "json");
        if (r.code != 0) throw new IllegalStateException("runc list failed: " + r.out);
        try {
            return JSON.readTree(r.out); // "null" when empty: iterates as nothing
        } catch (IOException e) {
            throw new UncheckedIOException("bad runc list output: " + r.out, e);
        }
    }

    /** Read from the container's cgroup ({@code <cgroupParent>/<id>}, where OciBundle puts cgroupsPath). */
    @Override
    public java.util.Optional<dev.berth.node.metrics.UsageSample> usage(String id) {
        return cgroups.usage(cgroupsPath(id));
    }

    /** Memory limit from the container's cgroup, -1 if unlimited. */
    public long memoryLimitBytes(String id) throws IOException {
        return cgroups.memoryLimit(cgroupsPath(id));
    }

    /** CFS quota (µs per 100 ms period) from the container's cgroup, -1 if unlimited. */
    public long cpuQuota(String id) throws IOException {
        return cgroups.cpuQuota(cgroupsPath(id));
    }

    /** Removes the now-empty parent cgroups (e.g. /berth/node-1, then /berth if no other node uses it). */
    @Override
    public void removeCgroupParent() {
        cgroups.removeWithAncestors(cgroupParent);
    }

    /** Stops watching for exits; containers and their shims keep running. */
    @Override
    public synchronized void close() {
        closed = true;
        images.close();
        exits.close();
        if (pidFiles != null) pidFiles.close();
    }

    private synchronized FileWaiter pidFiles() {
        if (closed) throw new IllegalStateException("runtime closed");
        if (pidFiles == null) pidFiles = new FileWaiter(cgroupParent.replace('/', '-'));
        return pidFiles;
    }

    private boolean isAlive(String id) {
        Result r = runc("state", id);
        if (r.code != 0) return false;
        try {
            String status = JSON.readTree(r.out).path("status").asText();
            return !status.equals("stopped");
        } catch (IOException e) {
            return false;
        }
    }

    private void signal(String id, String signal) {
        Result r = runc("kill", id, signal);
        // "not running"/"does not exist" just mean it already ended.
        if (r.code != 0) LOG.log(Level.DEBUG, "runc kill {0} {1}: {2}", id, signal, r.out.strip());
    }

    /**
     * {@code runc exec} of {@code command} in the running container (as runc's default: root, in /), output
     * discarded; on a timeout runc is killed, which ends the exec'd process with it only if it was in the foreground.
     */
    @Override
    public int exec(String id, List<String> command, Duration timeout) throws IOException {
        bundle(id); // refuses ids that are not plain names
        if (command.isEmpty()) throw new IOException("exec probe without a command");
        List<String> cmd = new ArrayList<>(List.of(runc, "--root", root.toString(), "exec", id));
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        if (!waitFor(p, timeout)) {
            p.destroyForcibly();
            throw new IOException("command timed out after " + timeout.toSeconds() + " s");
        }
        return p.exitValue();
    }

    private record Result(int code, String out) {
    }

    /**
     * Runs a short runc command. Output goes to temp files rather than pipes so the timeout really applies
     * (a pipe read would block on a hung runc) and a long `list` cannot fill a pipe and stall runc.
     */
    private Result runc(String... args) {
        List<String> cmd = new ArrayList<>(List.of(runc, "--root", root.toString()));
        cmd.addAll(List.of(args));
        LOG.log(Level.DEBUG, "exec {0}", cmd);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("runc-", ".out");
            err = Files.createTempFile("runc-", ".err");
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out after " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            String stdout = Files.readString(out);
            // stderr only on failure: it is runc's error message; on success it could hold warnings.
            return new Result(p.exitValue(), p.exitValue() == 0 ? stdout : stdout + Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted: " + cmd));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a stray temp file is harmless
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines written to the log since offset (this start attempt only). */
    static String logTail(Path log, long offset) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(offset, f.length() - 8192);
            if (from > f.length()) from = Math.max(0, f.length() - 8192); // rotated meanwhile: the offset is gone
            byte[] buf = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(buf);
            List<String> lines = new String(buf, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
