package dev.berth.bus.contract;

/** Create or replace a HorizontalPodAutoscaler; the controller answers and records it on berth.autoscalers. */
public record ApplyHorizontalPodAutoscaler(HorizontalPodAutoscalerSpec autoscaler) implements Command {
    @Override public String target() { return autoscaler.key(); }
}
