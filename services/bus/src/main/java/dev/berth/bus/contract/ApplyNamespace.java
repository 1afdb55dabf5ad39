package dev.berth.bus.contract;

/** Create a namespace ({@code kind: Namespace}); one that exists already is left unchanged. */
public record ApplyNamespace(String name) implements Command {
    @Override public String target() { return name; }
}
