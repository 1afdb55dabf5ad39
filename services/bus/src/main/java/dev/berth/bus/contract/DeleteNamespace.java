package dev.berth.bus.contract;

/** Delete a namespace and everything in it; {@code default} cannot be deleted. */
public record DeleteNamespace(String name) implements Command {
    @Override public String target() { return name; }
}
