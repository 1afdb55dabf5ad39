package dev.berth.bus.contract;

/** Cordon a node, then delete its pods so that their deployments replace them on other nodes. */
public record DrainNode(String node) implements Command {
    @Override public String target() { return node; }
}
