package dev.berth.bus.contract;

/**
 * One entry of a configMap or secret volume's {@code items}: the value of {@code key} as the file {@code path}
 * (relative, no '..'), with {@code mode} (null: the volume's defaultMode).
 */
public record KeyToPath(String key, String path, Integer mode) {}
