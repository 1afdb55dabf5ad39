package dev.berth.bus.contract;

/** A change of a HorizontalPodAutoscaler, on berth.autoscalers, keyed by its key (namespace/name; bare name in default). */
public sealed interface HorizontalPodAutoscalerEvent extends Event permits HorizontalPodAutoscalerApplied, HorizontalPodAutoscalerDeleted {
    String namespace();
    String name();
    default String key() { return Namespaces.key(namespace(), name()); }
}
