package dev.berth.bus.contract;

/**
 * Kubernetes namespaces as Berth names them. An object is identified by (namespace, name); its
 * <em>key</em> — the record key of its commands and events, and how the controller indexes it — is
 * the bare name in {@code default} and {@code namespace/name} elsewhere, so the keys of everything
 * written before namespaces existed (all of it in {@code default}) stay valid. A DNS-1123 label
 * never holds '/', so the key is unambiguous.
 */
public final class Namespaces {
    private Namespaces() {}

    /** The namespace that always exists, and where an object without one lives. */
    public static final String DEFAULT = "default";

    /** {@code namespace}, or {@link #DEFAULT} when absent (old records, commands that name none). */
    public static String orDefault(String namespace) {
        return namespace == null || namespace.isEmpty() ? DEFAULT : namespace;
    }

    /** The key of the object {@code name} in {@code namespace}: the bare name in default, else namespace/name. */
    public static String key(String namespace, String name) {
        String ns = orDefault(namespace);
        return ns.equals(DEFAULT) || name == null ? name : ns + "/" + name;
    }

    /** The namespace part of a {@link #key}. */
    public static String namespaceOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? DEFAULT : key.substring(0, slash);
    }

    /** The name part of a {@link #key}. */
    public static String nameOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }
}
