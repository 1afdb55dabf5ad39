package dev.berth.node.core;

import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.SecretSpec;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;

/**
 * The ConfigMaps and Secrets the node knows, from the compacted berth.configmaps and berth.secrets: what pods'
 * env sources and configMap / secret volumes are made of. Immutable and persistent. Bounded: at most
 * {@link #MAX_OBJECTS} of each kind and {@link #MAX_CHARS} characters of values in all; beyond them a new object
 * is not added (a pod using it waits, as for a missing one) and a replaced one is dropped. {@link #toString()}
 * shows counts only: a Secret's value never reaches a log line through it.
 */
public record ConfigObjects(PMap<String, ConfigMapSpec> configMaps, PMap<String, SecretSpec> secrets, long chars) {
    public static final int MAX_OBJECTS = 10_000;
    /** 256 Mi characters: a few thousand objects at the 48 KiB cap each. */
    public static final long MAX_CHARS = 256L << 20;
    public static final ConfigObjects EMPTY = new ConfigObjects(HashTreePMap.empty(), HashTreePMap.empty(), 0);

    public ConfigMapSpec configMap(String namespace, String name) {
        return configMaps.get(Namespaces.key(Namespaces.orDefault(namespace), name));
    }

    public SecretSpec secret(String namespace, String name) {
        return secrets.get(Namespaces.key(Namespaces.orDefault(namespace), name));
    }

    public ConfigObjects put(ConfigMapSpec m) {
        ConfigObjects without = removeConfigMap(m.key());
        long size = chars(m);
        if (without.configMaps.size() >= MAX_OBJECTS || without.chars + size > MAX_CHARS) return without;
        return new ConfigObjects(without.configMaps.plus(m.key(), m), secrets, without.chars + size);
    }

    public ConfigObjects put(SecretSpec s) {
        ConfigObjects without = removeSecret(s.key());
        long size = chars(s);
        if (without.secrets.size() >= MAX_OBJECTS || without.chars + size > MAX_CHARS) return without;
        return new ConfigObjects(configMaps, without.secrets.plus(s.key(), s), without.chars + size);
    }

    public ConfigObjects removeConfigMap(String key) {
        ConfigMapSpec old = configMaps.get(key);
        return old == null ? this : new ConfigObjects(configMaps.minus(key), secrets, chars - chars(old));
    }

    public ConfigObjects removeSecret(String key) {
        SecretSpec old = secrets.get(key);
        return old == null ? this : new ConfigObjects(configMaps, secrets.minus(key), chars - chars(old));
    }

    private static long chars(ConfigMapSpec m) {
        long n = 0;
        for (var e : m.data().entrySet()) n += e.getKey().length() + e.getValue().length();
        for (var e : m.binaryData().entrySet()) n += e.getKey().length() + e.getValue().length();
        return n;
    }

    private static long chars(SecretSpec s) {
        long n = 0;
        for (var e : s.data().entrySet()) n += e.getKey().length() + e.getValue().length();
        return n;
    }

    @Override
    public String toString() {
        return "ConfigObjects[" + configMaps.size() + " configmaps, " + secrets.size() + " secrets, " + chars + " chars]";
    }
}
