package dev.berth.bus.contract;

/** Create a Secret or replace its values (refused once it is immutable and they would change). */
public record ApplySecret(SecretSpec secret) implements Command {
    @Override public String target() { return secret.key(); }
}
