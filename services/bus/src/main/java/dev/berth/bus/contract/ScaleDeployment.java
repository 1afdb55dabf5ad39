package dev.berth.bus.contract;

/** Change the replica count of an existing deployment. */
public record ScaleDeployment(String name, int replicas) implements Command {
    @Override public String target() { return name; }
}
