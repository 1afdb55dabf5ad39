package dev.berth.bus.contract;

/** The Secret as accepted: what node agents give the pods that use it. */
public record SecretApplied(SecretSpec secret) implements SecretEvent {
    @Override public String namespace() { return secret.namespace(); }

    @Override public String name() { return secret.name(); }
}
