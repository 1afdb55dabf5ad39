package dev.berth.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The node's images: pulls from registries, loads archives, keeps blobs and unpacked layers under
 * {@code <root>/images} and makes container root filesystems from them.
 *
 * <pre>
 * images/index.json            references -> image (written atomically)
 * images/blobs/sha256/HEX      manifests, configs, layer blobs as fetched, verified
 * images/layers/DIFFID_HEX/    one unpacked layer in overlayfs format, shared by every image using it
 * </pre>
 *
 * Blocking: callers run it off the event loop. One pull per reference at a time: concurrent
 * {@link #ensure} calls for the same reference wait for the same pull.
 */
public final class ImageService implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ImageService.class.getName());

    /** Options of the node's image service. */
    public record Options(RegistryCredentials credentials, Set<String> insecureRegistries, String os, String architecture,
                          String variant, long maxLayerBytes, Duration requestTimeout, int parallelLayers,
                          boolean forceCopyRootfs) {
        public static Options defaults() {
            return new Options(RegistryCredentials.NONE, Set.of(), "linux", Manifests.hostArchitecture(), "",
                    8L << 30, Duration.ofMinutes(5), 3, false);
        }

        public Options withCredentials(RegistryCredentials c) {
            return new Options(c, insecureRegistries, os, architecture, variant, maxLayerBytes, requestTimeout,
                    parallelLayers, forceCopyRootfs);
        }

        public Options withInsecureRegistries(Set<String> hosts) {
            return new Options(credentials, hosts, os, architecture, variant, maxLayerBytes, requestTimeout,
                    parallelLayers, forceCopyRootfs);
        }

        public Options withForceCopyRootfs(boolean copy) {
            return new Options(credentials, insecureRegistries, os, architecture, variant, maxLayerBytes, requestTimeout,
                    parallelLayers, copy);
        }
    }

    /** Where blobs come from during an install: a registry or an unpacked archive. */
    interface BlobSource {
        InputStream open(Digest blob) throws IOException;
    }

    private final Path dir;
    private final Path layersDir;
    private final ContentStore content;
    private final ImageIndex index;
    private final Options options;
    private final RegistryClient registry;
    /** Clients for pods' own credentials: each keeps its tokens apart from the node's. */
    private final Map<RegistryCredentials, RegistryClient> clients = new ConcurrentHashMap<>();
    private final ExecutorService layerPool;
    private final Map<String, CompletableFuture<ImageHandle>> inflight = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger pulls = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<Digest, Object> layerLocks = new ConcurrentHashMap<>();
    /** Installs hold the read side, garbage collection the write side: GC never deletes a layer mid-pull. */
    private final ReadWriteLock gcLock = new ReentrantReadWriteLock();

    public ImageService(Path root, Options options) throws IOException {
        this.dir = Files.createDirectories(root.resolve("images"));
        this.layersDir = Files.createDirectories(dir.resolve("layers"));
        this.content = new ContentStore(dir.resolve("blobs"));
        this.options = options;
        this.registry = new RegistryClient(options.credentials(), options.insecureRegistries(), options.requestTimeout());
        this.layerPool = Executors.newFixedThreadPool(Math.max(1, options.parallelLayers()), r -> {
            Thread t = new Thread(r, "image-layers");
            t.setDaemon(true);
            return t;
        });
        cleanTemporaries();
        this.index = ImageIndex.load(dir.resolve("index.json"), this::complete);
    }

    /**
     * The image for {@code ref} under {@code policy}: present and not Always → as stored; Never and
     * absent → ErrImageNeverPull; otherwise pulled (the manifest is always asked for with Always, layers
     * already present are not fetched again).
     *
     * @throws ImageException with the pod waiting reason and the registry's answer
     */
    public ImageHandle ensure(ImageReference ref, PullPolicy policy) {
        return ensure(ref, policy, null);
    }

    /**
     * As {@link #ensure(ImageReference, PullPolicy)}, with the pod's own credentials (its
     * imagePullSecrets, as a docker config) instead of the node's; null means the node's.
     */
    public ImageHandle ensure(ImageReference ref, PullPolicy policy, RegistryCredentials podCredentials) {
        Optional<ImageIndex.Entry> present = index.find(ref);
        if (policy != PullPolicy.ALWAYS && present.isPresent()) return handle(present.get());
        if (policy == PullPolicy.NEVER) {
            throw new ImageException(ImageException.ERR_IMAGE_NEVER_PULL,
                    "Container image \"" + ref.familiar() + "\" is not present with pull policy of Never");
        }
        CompletableFuture<ImageHandle> mine = new CompletableFuture<>();
        CompletableFuture<ImageHandle> running = inflight.putIfAbsent(ref.toString(), mine);
        if (running != null) return join(running);
        try {
            mine.complete(pull(ref, podCredentials == null ? registry : clients.computeIfAbsent(podCredentials,
                    c -> new RegistryClient(c, options.insecureRegistries(), options.requestTimeout()))));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            inflight.remove(ref.toString(), mine);
        }
        return join(mine);
    }

    /** The image if present, without pulling. */
    public Optional<ImageHandle> find(ImageReference ref) {
        return index.find(ref).map(this::handle);
    }

    private static ImageHandle join(CompletableFuture<ImageHandle> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw ImageException.pull(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageException.pull("interrupted while pulling", e);
        }
    }

    private ImageHandle pull(ImageReference ref, RegistryClient registry) {
        pulls.incrementAndGet();
        long t0 = System.nanoTime();
        RegistryClient.Fetched top = registry.manifest(ref, ref.manifestReference());
        JsonNode node = Manifests.read(top.body(), "manifest of " + ref);
        RegistryClient.Fetched image = top;
        if (Manifests.isIndex(node, top.contentType())) {
            Manifests.Descriptor d = Manifests.pick(node, options.os(), options.architecture(), options.variant(),
                    "index of " + ref);
            image = registry.manifest(ref, d.digest().toString());
            node = Manifests.read(image.body(), "manifest " + d.digest() + " of " + ref);
        }
        Manifests.Manifest m = Manifests.manifest(node, "manifest of " + ref);
        BlobSource source = blob -> registry.blob(ref, blob);
        ImageHandle h = install(ref, top.digest(), List.of(top.body(), image.body()), m, source);
        LOG.log(Level.INFO, "pulled {0} ({1}) in {2} ms", ref, h.digest(), (System.nanoTime() - t0) / 1_000_000);
        return h;
    }

    /**
     * Stores an image whose manifest is known: config and layers fetched from {@code source} (each
     * verified), layers unpacked unless present, then the reference recorded in the index.
     */
    ImageHandle install(ImageReference ref, Digest digest, List<byte[]> manifests, Manifests.Manifest m, BlobSource source) {
        gcLock.readLock().lock();
        try {
            for (byte[] bytes : manifests) content.put(bytes);
            Digest configDigest = m.config().digest();
            if (!content.has(configDigest)) {
                try (InputStream in = source.open(configDigest)) {
                    content.put(in, configDigest, m.config().size(), RegistryClient.MAX_MANIFEST_BYTES, "config");
                }
            }
            ImageConfig config = ImageConfig.parse(content.read(configDigest, RegistryClient.MAX_MANIFEST_BYTES));
            if (config.diffIds().size() != m.layers().size()) {
                throw ImageException.pull(ref + ": config lists " + config.diffIds().size() + " layers, manifest "
                        + m.layers().size());
            }
            if (!config.os().isEmpty() && !config.os().equals(options.os())) {
                throw ImageException.pull(ref + " is an image for " + config.os() + ", this node runs " + options.os());
            }
            List<Future<Path>> layers = new ArrayList<>();
            for (int i = 0; i < m.layers().size(); i++) {
                Manifests.Descriptor blob = m.layers().get(i);
                Digest diffId = config.diffIds().get(i);
                layers.add(layerPool.submit(() -> ensureLayer(ref, blob, diffId, source)));
            }
            for (Future<Path> f : layers) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof ImageException ie) throw ie;
                    throw ImageException.pull(ref + ": " + c.getMessage(), c);
                }
            }
            long size = content.size(configDigest);
            List<Digest> blobs = new ArrayList<>();
            for (Manifests.Descriptor l : m.layers()) {
                blobs.add(l.digest());
                size += l.size() >= 0 ? l.size() : content.size(l.digest());
            }
            List<Digest> manifestDigests = manifests.stream().map(Digest::of).distinct().toList();
            ImageIndex.Entry e = new ImageIndex.Entry(ref.toString(), digest, configDigest, manifestDigests, blobs,
                    config.diffIds(), size);
            index.put(e);
            return handle(e, config);
        } catch (IOException e) {
            throw ImageException.pull(ref + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ImageException.pull(ref + ": interrupted", e);
        } finally {
            gcLock.readLock().unlock();
        }
    }

    /** Fetches (if needed) and unpacks (once per diffID) one layer; returns its directory. */
    private Path ensureLayer(ImageReference ref, Manifests.Descriptor blob, Digest diffId, BlobSource source)
            throws IOException {
        Path target = layersDir.resolve(diffId.hex());
        if (Files.isDirectory(target)) return target;
        Object lock = layerLocks.computeIfAbsent(diffId, d -> new Object());
        synchronized (lock) {
            if (Files.isDirectory(target)) return target;
            Path tmp = Files.createTempDirectory(layersDir, ".unpack-");
            try {
                LayerUnpacker.Result r;
                String what = "layer " + blob.digest() + " of " + ref;
                try {
                    if (content.has(blob.digest())) {
                        try (InputStream in = Files.newInputStream(content.path(blob.digest()))) {
                            r = LayerUnpacker.unpack(in, tmp);
                        }
                    } else {
                        // Unpacked while it downloads (as containerd does): kept only if the blob's digest checks out.
                        try (ContentStore.Ingest ingest = content.begin(blob.digest(), blob.size(), options.maxLayerBytes(), what)) {
                            try (InputStream in = ingest.wrap(source.open(blob.digest()))) {
                                try {
                                    r = LayerUnpacker.unpack(in, tmp);
                                } catch (IOException | RuntimeException unpackFailed) {
                                    // corrupt content usually breaks gzip first: say so if the digest is wrong too
                                    in.transferTo(java.io.OutputStream.nullOutputStream());
                                    ingest.commit();
                                    throw unpackFailed;
                                }
                                in.transferTo(java.io.OutputStream.nullOutputStream());
                            }
                            ingest.commit();
                        }
                    }
                } catch (LayerUnpacker.LayerException e) {
                    throw ImageException.pull(what + ": " + e.getMessage(), e);
                }
                if (!r.diffId().equals(diffId)) {
                    throw ImageException.pull("layer " + blob.digest() + " of " + ref + " unpacks to " + r.diffId()
                            + ", the config says " + diffId);
                }
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return target;
            } finally {
                if (Files.exists(tmp)) LayerUnpacker.removeExisting(tmp);
            }
        }
    }

    private boolean complete(ImageIndex.Entry e) {
        if (!content.has(e.config())) return false;
        for (Digest d : e.diffIds()) if (!Files.isDirectory(layersDir.resolve(d.hex()))) return false;
        return true;
    }

    private ImageHandle handle(ImageIndex.Entry e) {
        try {
            return handle(e, ImageConfig.parse(content.read(e.config(), RegistryClient.MAX_MANIFEST_BYTES)));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private ImageHandle handle(ImageIndex.Entry e, ImageConfig config) {
        List<Path> layers = e.diffIds().stream().map(d -> layersDir.resolve(d.hex()).toAbsolutePath()).toList();
        return new ImageHandle(ImageReference.parse(e.reference()), e.digest(), e.config(), config, layers, e.size());
    }

    // ---- archives ----

    /**
     * Loads a {@code docker save} archive, an OCI image layout directory or an OCI archive (tar of a
     * layout), as {@code docker load -i} does. OCI images are named by their
     * {@code org.opencontainers.image.ref.name} annotation (a full reference, or a tag of {@code defaultName}).
     *
     * @return the references loaded
     */
    public List<ImageReference> load(Path archive, String defaultName) throws IOException {
        return ImageArchive.load(archive, defaultName, dir.resolve("blobs").resolve("tmp"), this);
    }

    // ---- listing and removal ----

    public List<ImageSummary> list() {
        return index.entries().stream()
                .map(e -> new ImageSummary(e.reference(), e.digest().toString(), e.config().toString(), e.size()))
                .sorted(Comparator.comparing(ImageSummary::reference)).toList();
    }

    /**
     * Removes a reference (or, for {@code name@digest}, every reference to that digest) and the layers
     * and blobs nothing else uses.
     *
     * @param inUse repository digests of images running containers use: removing those is refused
     * @return the references removed (empty if none matched)
     */
    public List<String> remove(ImageReference ref, Set<Digest> inUse) throws IOException {
        List<ImageIndex.Entry> matching = index.entries().stream()
                .filter(e -> e.reference().equals(ref.toString())
                        || (ref.digest() != null && e.digest().toString().equals(ref.digest())))
                .toList();
        for (ImageIndex.Entry e : matching) {
            if (inUse.contains(e.digest())) {
                throw new IllegalStateException("image " + e.reference() + " is in use by a container; stop it first");
            }
        }
        index.removeAll(matching);
        collectGarbage();
        return matching.stream().map(ImageIndex.Entry::reference).toList();
    }

    /** Removes every image whose digest is not in {@code inUse}, then unused layers and blobs. */
    public List<String> prune(Set<Digest> inUse) throws IOException {
        List<ImageIndex.Entry> unused = index.entries().stream().filter(e -> !inUse.contains(e.digest())).toList();
        index.removeAll(unused);
        collectGarbage();
        return unused.stream().map(ImageIndex.Entry::reference).toList();
    }

    private void collectGarbage() throws IOException {
        gcLock.writeLock().lock();
        try {
            Set<Digest> blobs = new HashSet<>();
            Set<String> layers = new HashSet<>();
            for (ImageIndex.Entry e : index.entries()) {
                blobs.add(e.config());
                blobs.addAll(e.manifests());
                blobs.addAll(e.blobs());
                e.diffIds().forEach(d -> layers.add(d.hex()));
            }
            for (Digest d : content.all()) if (!blobs.contains(d)) content.delete(d);
            try (Stream<Path> dirs = Files.list(layersDir)) {
                for (Path p : dirs.toList()) {
                    String name = p.getFileName().toString();
                    if (!name.startsWith(".") && !layers.contains(name)) LayerUnpacker.removeExisting(p);
                }
            }
        } finally {
            gcLock.writeLock().unlock();
        }
    }

    private void cleanTemporaries() throws IOException {
        try (Stream<Path> dirs = Files.list(layersDir)) {
            for (Path p : dirs.toList()) {
                if (p.getFileName().toString().startsWith(".unpack-")) LayerUnpacker.removeExisting(p);
            }
        }
    }

    // ---- root filesystems ----

    /**
     * Makes {@code containerDir/rootfs}: an overlay (lowerdir = the image's layers, upper and work dirs
     * in {@code containerDir}), or a copy where overlay cannot be mounted (logged, and said in
     * {@link Rootfs#why()}). {@code containerDir} must be on a filesystem that supports overlay upper dirs.
     */
    public Rootfs mountRootfs(ImageHandle image, Path containerDir) throws IOException {
        return Overlay.mount(image.layers(), layersDir, containerDir, options.forceCopyRootfs());
    }

    /** Unmounts and deletes a container's rootfs and writable layer; idempotent, also after an agent restart. */
    public void unmount(Path containerDir) throws IOException {
        Overlay.unmount(containerDir);
    }

    /** The layers of images in the index, for tests and `image ls` sizes. */
    Set<Path> layerDirs() {
        Set<Path> out = new LinkedHashSet<>();
        index.entries().forEach(e -> e.diffIds().forEach(d -> out.add(layersDir.resolve(d.hex()))));
        return out;
    }

    /** Registry pulls started, for tests. */
    int pulls() {
        return pulls.get();
    }

    Path blobPath(Digest d) {
        return content.path(d);
    }

    @Override
    public void close() {
        layerPool.shutdownNow();
    }
}
