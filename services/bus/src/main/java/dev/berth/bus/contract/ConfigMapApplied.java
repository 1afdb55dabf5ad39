package dev.berth.bus.contract;

/** The ConfigMap as accepted: what node agents give the pods that use it. */
public record ConfigMapApplied(ConfigMapSpec configMap) implements ConfigMapEvent {
    @Override public String namespace() { return configMap.namespace(); }

    @Override public String name() { return configMap.name(); }
}
