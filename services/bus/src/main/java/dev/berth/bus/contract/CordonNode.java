package dev.berth.bus.contract;

/** Mark a node unschedulable: running pods stay, no new pods are placed there. */
public record CordonNode(String node) implements Command {
    @Override public String target() { return node; }
}
