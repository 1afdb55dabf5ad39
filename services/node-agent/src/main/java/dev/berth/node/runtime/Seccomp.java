package dev.berth.node.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * Docker's default seccomp profile (resource {@code seccomp/default.json}, moby's format) made into the OCI
 * runtime spec's {@code linux.seccomp} for one container, as moby's {@code setupSeccomp} does: the host's
 * architecture and its sub-architectures, and of the rules only those whose {@code includes} hold and whose
 * {@code excludes} do not, against the container's final capability set, the architecture and the kernel.
 * So a container given CAP_SYS_ADMIN may mount and unshare; one without may not, whatever its caps say.
 */
public final class Seccomp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode DEFAULT = load("/seccomp/default.json");

    /** The host as the profile names it: Go's GOARCH ({@code amd64}, {@code arm64}) and the kernel's major.minor. */
    public record Host(String arch, int kernelMajor, int kernelMinor) {
        public static Host current() {
            String arch = switch (System.getProperty("os.arch")) {
                case "amd64", "x86_64" -> "amd64";
                case "aarch64", "arm64" -> "arm64";
                default -> System.getProperty("os.arch");
            };
            String[] v = System.getProperty("os.version").split("[.-]");
            return new Host(arch, number(v, 0), number(v, 1));
        }

        private static int number(String[] parts, int i) {
            try {
                return i < parts.length ? Integer.parseInt(parts[i]) : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        boolean atLeast(String version) {
            String[] v = version.split("\\.");
            int major = Integer.parseInt(v[0]), minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
            return kernelMajor > major || (kernelMajor == major && kernelMinor >= minor);
        }

        /** The profile's SCMP_ARCH_ name of this architecture. */
        String scmpArch() {
            return switch (arch) {
                case "amd64" -> "SCMP_ARCH_X86_64";
                case "arm64" -> "SCMP_ARCH_AARCH64";
                default -> "SCMP_ARCH_" + arch.toUpperCase(java.util.Locale.ROOT);
            };
        }
    }

    private Seccomp() {
    }

    /** linux.seccomp for a container whose capability set (bounding) is {@code caps}, CAP_ names. */
    public static ObjectNode profile(Set<String> caps, Host host) {
        ObjectNode out = JSON.createObjectNode();
        out.put("defaultAction", DEFAULT.path("defaultAction").asText());
        out.put("defaultErrnoRet", DEFAULT.path("defaultErrnoRet").asInt());
        ArrayNode arches = out.putArray("architectures");
        for (JsonNode a : DEFAULT.path("archMap")) {
            if (!a.path("architecture").asText().equals(host.scmpArch())) continue;
            arches.add(a.path("architecture").asText());
            a.path("subArchitectures").forEach(arches::add);
        }
        ArrayNode syscalls = out.putArray("syscalls");
        for (JsonNode rule : DEFAULT.path("syscalls")) {
            if (!applies(rule, caps, host)) continue;
            ObjectNode s = syscalls.addObject();
            s.set("names", rule.path("names").deepCopy());
            s.put("action", rule.path("action").asText());
            if (rule.has("errnoRet")) s.put("errnoRet", rule.path("errnoRet").asInt());
            if (rule.has("args")) s.set("args", rule.path("args").deepCopy());
        }
        return out;
    }

    /** moby's rule: every include holds (all its caps present, the arch listed, the kernel new enough), no exclude does. */
    static boolean applies(JsonNode rule, Set<String> caps, Host host) {
        JsonNode in = rule.path("includes");
        for (JsonNode c : in.path("caps")) if (!caps.contains(c.asText())) return false;
        if (in.has("arches") && !contains(in.path("arches"), host.arch())) return false;
        if (in.has("minKernel") && !host.atLeast(in.path("minKernel").asText())) return false;
        JsonNode ex = rule.path("excludes");
        for (JsonNode c : ex.path("caps")) if (caps.contains(c.asText())) return false;
        if (ex.has("arches") && contains(ex.path("arches"), host.arch())) return false;
        if (ex.has("minKernel") && host.atLeast(ex.path("minKernel").asText())) return false;
        return true;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) if (v.asText().equals(value)) return true;
        return false;
    }

    private static JsonNode load(String resource) {
        try (InputStream in = Seccomp.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no " + resource + " on the classpath");
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
