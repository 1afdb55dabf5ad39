package dev.berth.bus.contract;

/** The reconciler wants this pod gone (scale down, delete, replaced spec). */
public record PodDeletionRequested(String pod, String deployment, String reason) implements PodEvent {
}
