package dev.berth.bus.contract;

/** Make a cordoned node schedulable again. */
public record UncordonNode(String node) implements Command {
    @Override public String target() { return node; }
}
