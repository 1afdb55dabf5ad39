package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs CNI plugin executables as the CNI spec says: the plugin's {@code type} is the executable's name,
 * looked up in the plugin path; CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_ARGS and CNI_PATH
 * in its environment; its network configuration on stdin; its result (or error JSON) on stdout.
 * Every run is bounded: a timeout after which the plugin is killed, and a cap on stdout.
 */
public final class CniPlugins {
    public static final List<Path> DEFAULT_PATH = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** A plugin's result is a few KiB; anything beyond this is not a CNI result. */
    public static final int MAX_STDOUT = 1 << 20;
    private static final int STDERR_TAIL = 4096;
    /** A type names an executable in the plugin path, never a path of its own. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,127}");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Path> path;
    private final Duration timeout;
    private final List<String> launcher;

    public CniPlugins(List<Path> path, Duration timeout) {
        this(path, timeout, List.of());
    }

    /** @param launcher argv prefix the plugin runs under, e.g. {@code ip netns exec HOST} in tests that play several hosts */
    public CniPlugins(List<Path> path, Duration timeout, List<String> launcher) {
        if (path == null || path.isEmpty()) throw new IllegalArgumentException("the CNI plugin path is empty");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be > 0");
        this.path = List.copyOf(path);
        this.timeout = timeout;
        this.launcher = List.copyOf(launcher);
    }

    public static CniPlugins defaults() { return new CniPlugins(DEFAULT_PATH, DEFAULT_TIMEOUT); }

    /** Parses a plugin path like CNI_PATH: directories separated by ':'. */
    public static List<Path> parsePath(String colonSeparated) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : colonSeparated.split(":")) if (!dir.isBlank()) dirs.add(Path.of(dir.trim()));
        if (dirs.isEmpty()) throw new IllegalArgumentException("empty CNI plugin path: '" + colonSeparated + "'");
        return dirs;
    }

    public List<Path> path() { return path; }

    /** The executable for a plugin type, first match in path order. */
    public Optional<Path> find(String type) {
        if (type == null || !TYPE.matcher(type).matches()) return Optional.empty();
        for (Path dir : path) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** What one invocation needs besides the config. For VERSION only the command is read. */
    public record Invocation(String command, String containerId, String netns, String ifName, String args) {
        public static Invocation version() { return new Invocation("VERSION", null, null, null, null); }
    }

    /**
     * Runs {@code type} with {@code config} on stdin. Returns its stdout parsed as JSON, or null when it
     * printed nothing (DEL and CHECK print nothing on success).
     */
    public JsonNode invoke(String type, Invocation inv, byte[] config) throws CniException {
        Path exe = find(type).orElseThrow(() -> CniException.notRun(type, inv.command(),
                "plugin '" + type + "' not found in " + describePath()));
        List<String> argv = new ArrayList<>(launcher);
        argv.add(exe.toString());
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CNI_")); // only what this call says, nothing inherited
        env.put("CNI_COMMAND", inv.command());
        if (inv.containerId() != null) env.put("CNI_CONTAINERID", inv.containerId());
        if (inv.netns() != null) env.put("CNI_NETNS", inv.netns());
        if (inv.ifName() != null) env.put("CNI_IFNAME", inv.ifName());
        if (inv.args() != null && !inv.args().isEmpty()) env.put("CNI_ARGS", inv.args());
        env.put("CNI_PATH", describePath());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw CniException.notRun(type, inv.command(), "cannot start " + exe + ": " + e.getMessage());
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readBounded(p.getInputStream(), MAX_STDOUT + 1));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readTail(p.getErrorStream(), STDERR_TAIL));
        try (OutputStream stdin = p.getOutputStream()) {
            stdin.write(config);
        } catch (IOException e) {
            // A plugin may exit before reading stdin (e.g. VERSION): its exit code and output still tell.
        }
        int exit;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw CniException.notRun(type, inv.command(), "timed out after " + timeout.toMillis() + " ms (killed)");
            }
            exit = p.exitValue();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw CniException.notRun(type, inv.command(), "interrupted");
        }
        byte[] stdout = out.join();
        String stderr = new String(err.join(), StandardCharsets.UTF_8).strip();
        if (stdout.length > MAX_STDOUT) {
            throw CniException.notRun(type, inv.command(), "printed more than " + MAX_STDOUT + " bytes on stdout");
        }
        if (exit != 0) throw CniErrors.parse(type, inv.command(), exit, stdout, stderr);
        if (isBlank(stdout)) return null;
        try {
            return JSON.readTree(stdout);
        } catch (IOException e) {
            throw CniException.notRun(type, inv.command(), "printed output that is not JSON: " + CniErrors.excerpt(stdout));
        }
    }

    private String describePath() {
        return String.join(":", path.stream().map(Path::toString).toList());
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) if (!Character.isWhitespace(x)) return false;
        return true;
    }

    /** Reads up to {@code limit} bytes, then drains the rest so the plugin never blocks on a full pipe. */
    private static byte[] readBounded(InputStream in, int limit) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try (in) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                int keep = Math.min(n, limit - buf.size());
                if (keep > 0) buf.write(chunk, 0, keep);
            }
        } catch (IOException e) {
            // the plugin went away; what was read is what there is
        }
        return buf.toByteArray();
    }

    private static byte[] readTail(InputStream in, int tail) {
        byte[] ring = new byte[tail];
        long total = 0;
        byte[] chunk = new byte[4096];
        try (in) {
            for (int n; (n = in.read(chunk)) > 0; ) {
                for (int i = 0; i < n; i++) ring[(int) (total++ % tail)] = chunk[i];
            }
        } catch (IOException e) {
            // as above
        }
        if (total <= tail) return java.util.Arrays.copyOf(ring, (int) total);
        byte[] out = new byte[tail];
        int start = (int) (total % tail);
        System.arraycopy(ring, start, out, 0, tail - start);
        System.arraycopy(ring, 0, out, tail - start, start);
        return out;
    }
}
