package dev.berth.cli;

import java.util.Set;

/** Parses kubectl-style references: {@code web} or {@code deployment/web}, {@code node-1} or {@code node/node-1}. */
final class ResourceRef {
    private ResourceRef() {}

    static String deploymentName(String ref) {
        return name(ref, Set.of("deployment", "deployments", "deploy"), "expected deployment/NAME, got ");
    }

    static String nodeName(String ref) {
        return name(ref, Set.of("node", "nodes", "no"), "expected NODE or node/NODE, got ");
    }

    private static String name(String ref, Set<String> kinds, String problem) {
        int slash = ref.indexOf('/');
        if (slash < 0) return ref;
        if (!kinds.contains(ref.substring(0, slash))) throw new IllegalArgumentException(problem + ref);
        return ref.substring(slash + 1);
    }
}
