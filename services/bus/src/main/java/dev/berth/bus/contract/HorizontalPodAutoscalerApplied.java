package dev.berth.bus.contract;

/** The autoscaler as accepted, with Kubernetes' defaults filled in. */
public record HorizontalPodAutoscalerApplied(HorizontalPodAutoscalerSpec autoscaler) implements HorizontalPodAutoscalerEvent {
    @Override public String namespace() { return autoscaler.namespace(); }
    @Override public String name() { return autoscaler.name(); }
}
