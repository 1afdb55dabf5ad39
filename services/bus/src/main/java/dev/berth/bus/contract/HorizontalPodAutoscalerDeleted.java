package dev.berth.bus.contract;

/** The autoscaler is gone (deleted, or its namespace was). */
public record HorizontalPodAutoscalerDeleted(String namespace, String name) implements HorizontalPodAutoscalerEvent {
    public HorizontalPodAutoscalerDeleted {
        namespace = Namespaces.orDefault(namespace);
    }
}
