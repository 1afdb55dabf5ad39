package dev.berth.bus.contract;

/**
 * Lets a pod onto nodes with a matching taint (Kubernetes' toleration). {@code Equal} matches a
 * taint with the same key and value, {@code Exists} any value of the key, and {@code Exists}
 * without a key every taint.
 *
 * @param operator {@code Equal} (the default) or {@code Exists}
 * @param value    compared under {@code Equal}; absent under {@code Exists}
 * @param effect   the taint effect tolerated; null tolerates every effect
 */
public record Toleration(String key, String operator, String value, String effect) {
    public static final String EQUAL = "Equal";
    public static final String EXISTS = "Exists";

    public Toleration {
        operator = operator == null ? EQUAL : operator;
    }

    /** Whether this toleration lets a pod onto a node with {@code taint} (Kubernetes' rules). */
    public boolean tolerates(Taint taint) {
        if (effect != null && !effect.isEmpty() && !effect.equals(taint.effect())) return false;
        if (key == null || key.isEmpty()) return EXISTS.equals(operator);
        if (!key.equals(taint.key())) return false;
        if (EXISTS.equals(operator)) return true;
        return (value == null ? "" : value).equals(taint.value());
    }
}
