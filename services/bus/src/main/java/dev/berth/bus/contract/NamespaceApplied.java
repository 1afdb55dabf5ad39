package dev.berth.bus.contract;

/** The namespace exists (it was created). */
public record NamespaceApplied(String name) implements NamespaceEvent {
}
