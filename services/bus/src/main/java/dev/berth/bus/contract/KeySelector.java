package dev.berth.bus.contract;

/**
 * {@code configMapKeyRef} / {@code secretKeyRef}: the value of {@code key} of the ConfigMap or Secret {@code name}
 * in the pod's namespace.
 *
 * @param optional true: a missing object or key leaves the variable unset instead of holding the container back
 */
public record KeySelector(String name, String key, boolean optional) {}
