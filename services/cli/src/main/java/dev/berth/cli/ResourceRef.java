package dev.berth.cli;

import java.util.Set;

/** Parses kubectl-style references: {@code web} or {@code deployment/web}, {@code node-1} or {@code node/node-1}, {@code namespace/shop}. */
final class ResourceRef {
    private ResourceRef() {}

    private static final Set<String> NAMESPACE_KINDS = Set.of("namespace", "namespaces", "ns");

    static String deploymentName(String ref) {
        return name(ref, Set.of("deployment", "deployments", "deploy"), "expected deployment/NAME, got ");
    }

    private static final Set<String> DEPLOYMENT_KINDS = Set.of("deployment", "deployments", "deploy", "deployment.apps", "deployments.apps");

    /** The deployment's name when {@code ref} is {@code deployment/NAME} (or deploy/NAME), else null. */
    static String deploymentRef(String ref) {
        int slash = ref.indexOf('/');
        return slash > 0 && DEPLOYMENT_KINDS.contains(ref.substring(0, slash)) ? ref.substring(slash + 1) : null;
    }

    static String nodeName(String ref) {
        return name(ref, Set.of("node", "nodes", "no"), "expected NODE or node/NODE, got ");
    }

    /** The namespace's name when {@code ref} is {@code namespace/NAME} (or ns/NAME), else null. */
    static String namespaceName(String ref) {
        int slash = ref.indexOf('/');
        return slash > 0 && NAMESPACE_KINDS.contains(ref.substring(0, slash)) ? ref.substring(slash + 1) : null;
    }

    private static final Set<String> SERVICE_KINDS = Set.of("service", "services", "svc");

    /** The Service's name when {@code ref} is {@code service/NAME} (or svc/NAME), else null. */
    static String serviceName(String ref) {
        int slash = ref.indexOf('/');
        return slash > 0 && SERVICE_KINDS.contains(ref.substring(0, slash)) ? ref.substring(slash + 1) : null;
    }

    static boolean isServiceKind(String kind) { return SERVICE_KINDS.contains(kind); }

    private static final Set<String> AUTOSCALER_KINDS = Set.of("hpa", "horizontalpodautoscaler", "horizontalpodautoscalers",
            "horizontalpodautoscaler.autoscaling", "horizontalpodautoscalers.autoscaling");

    /** The HorizontalPodAutoscaler's name when {@code ref} is {@code hpa/NAME} (or horizontalpodautoscaler/NAME), else null. */
    static String autoscalerName(String ref) {
        int slash = ref.indexOf('/');
        return slash > 0 && AUTOSCALER_KINDS.contains(ref.substring(0, slash)) ? ref.substring(slash + 1) : null;
    }

    static boolean isAutoscalerKind(String kind) { return AUTOSCALER_KINDS.contains(kind); }

    private static String name(String ref, Set<String> kinds, String problem) {
        int slash = ref.indexOf('/');
        if (slash < 0) return ref;
        if (!kinds.contains(ref.substring(0, slash))) throw new IllegalArgumentException(problem + ref);
        return ref.substring(slash + 1);
    }
}
