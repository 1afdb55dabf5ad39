package dev.berth.bus.contract;

/** The reconciler wants this pod to exist; it is pending until the scheduler places it. */
public record PodCreated(String pod, String deployment, long generation, PodTemplate template) implements PodEvent {
}
