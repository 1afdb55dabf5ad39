package dev.berth.bus.labels;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The well-known labels every node carries, as the kubelet sets them: {@code kubernetes.io/hostname}
 * (the node's name), {@code kubernetes.io/os} and {@code kubernetes.io/arch} (Go's names: amd64,
 * arm64). They go under the labels a user configures; a user label may repeat one of them but not
 * give it another value, so a nodeSelector on the hostname always means the node.
 */
public final class NodeLabels {
    private NodeLabels() {}

    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String OS = "kubernetes.io/os";
    public static final String ARCH = "kubernetes.io/arch";

    /** Berth's nodes run Linux containers with runc: there is no other os. */
    public static final String LINUX = "linux";

    /** The architecture of this JVM, in Go's words as Kubernetes uses them. */
    public static String hostArch() { return goArch(System.getProperty("os.arch", "")); }

    /** Java's {@code os.arch} (amd64, x86_64, aarch64, ...) as Go's GOARCH: amd64, arm64, else the value itself, lower-cased. */
    public static String goArch(String javaArch) {
        String a = javaArch == null ? "" : javaArch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> Labels.checkValue(a).isEmpty() ? a : "unknown";
        };
    }

    /**
     * The well-known labels of node {@code node}. A node name longer than a label value (63; node
     * names may be 253) has no hostname label: Kubernetes could not store it either.
     */
    public static Map<String, String> wellKnown(String node, String arch) {
        Map<String, String> out = new HashMap<>();
        if (node != null && Labels.checkValue(node).isEmpty()) out.put(HOSTNAME, node);
        out.put(OS, LINUX);
        out.put(ARCH, arch);
        return Map.copyOf(out);
    }

    /**
     * Why {@code userLabels} cannot go with the well-known labels of {@code node}: one of them given
     * another value, or too many labels for a heartbeat ({@link Labels#MAX_LABELS} in all).
     */
    public static Optional<String> conflict(String node, Map<String, String> userLabels, String arch) {
        if (userLabels == null) return Optional.empty();
        Map<String, String> all = new HashMap<>(userLabels);
        all.putAll(wellKnown(node, arch));
        if (all.size() > Labels.MAX_LABELS) {
            return Optional.of("node " + node + ": at most " + Labels.MAX_LABELS + " labels with the well-known ones the node sets itself, got "
                    + all.size());
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(wellKnown(node, arch)).entrySet()) {
            String given = userLabels.get(e.getKey());
            if (given != null && !given.equals(e.getValue())) {
                return Optional.of("node " + node + ": label " + e.getKey() + "=" + Labels.excerpt(given) + " would override the well-known "
                        + e.getKey() + "=" + e.getValue() + " the node sets itself; leave it out");
            }
        }
        return Optional.empty();
    }

    /** The user's labels with the well-known ones; throws when they {@link #conflict}. */
    public static Map<String, String> merged(String node, Map<String, String> userLabels, String arch) {
        Optional<String> problem = conflict(node, userLabels, arch);
        if (problem.isPresent()) throw new IllegalArgumentException(problem.get());
        Map<String, String> out = new HashMap<>(userLabels == null ? Map.of() : userLabels);
        out.putAll(wellKnown(node, arch));
        return Map.copyOf(out);
    }
}
