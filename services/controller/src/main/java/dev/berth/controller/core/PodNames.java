package dev.berth.controller.core;

import dev.berth.bus.contract.Namespaces;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.Predicate;

/**
 * Pod names like Kubernetes': {@code <deployment>-<5 chars of [a-z0-9]>}. The suffix is derived from
 * the namespace, the deployment name and the pod's serial (not random), so replaying the same decisions
 * names the same pods. A suffix that collides with a known pod is derived again with an attempt counter.
 *
 * <p>Unlike Kubernetes, a pod's name is unique in the whole cluster, not only in its namespace: it
 * names the runc container, the cgroup and the network namespace on its node, and the key of its
 * records. {@code taken} therefore answers for the pods of every namespace. In {@code default} the seed
 * is what it was before namespaces existed, so the same decisions still name the same pods.
 */
public final class PodNames {
    private PodNames() {}

    public static final int SUFFIX_LENGTH = 5;
    private static final long SUFFIX_SPACE = 36L * 36 * 36 * 36 * 36;

    /** A pod of {@code deployment} in the default namespace. */
    public static String name(String deployment, long serial, Predicate<String> taken) {
        return name(Namespaces.DEFAULT, deployment, serial, taken);
    }

    /** {@code taken}: whether a pod of any namespace has the name. */
    public static String name(String namespace, String deployment, long serial, Predicate<String> taken) {
        String seed = Namespaces.key(namespace, deployment) + "/" + serial;
        for (int attempt = 0; ; attempt++) {
            String candidate = deployment + "-" + suffix(seed + (attempt == 0 ? "" : "/" + attempt));
            if (!taken.test(candidate)) return candidate;
        }
    }

    static String suffix(String seed) {
        byte[] hash = sha256(seed);
        long n = 0;
        for (int i = 0; i < 8; i++) n = (n << 8) | (hash[i] & 0xff);
        String base36 = Long.toString(Long.remainderUnsigned(n, SUFFIX_SPACE), 36);
        return "0".repeat(SUFFIX_LENGTH - base36.length()) + base36;
    }

    private static byte[] sha256(String seed) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
