package dev.berth.bus.contract;

/**
 * A node repels pods that do not tolerate this (Kubernetes' node taint). Only {@code NoSchedule}
 * exists in Berth: new pods stay away, pods already there keep running.
 *
 * @param value may be empty ("" when absent)
 */
public record Taint(String key, String value, String effect) {
    public static final String NO_SCHEDULE = "NoSchedule";

    public Taint {
        value = value == null ? "" : value;
        effect = effect == null ? NO_SCHEDULE : effect;
    }

    /** {@code key=value:Effect}, or {@code key:Effect} without a value (kubectl's notation). */
    @Override
    public String toString() { return key + (value.isEmpty() ? "" : "=" + value) + ":" + effect; }
}
