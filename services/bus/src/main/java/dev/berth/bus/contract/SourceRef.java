package dev.berth.bus.contract;

/** {@code envFrom[].configMapRef} / {@code secretRef}: a whole ConfigMap or Secret of the pod's namespace. */
public record SourceRef(String name, boolean optional) {}
