package dev.berth.bus.contract;

/** Remove a deployment and stop all its pods. */
public record DeleteDeployment(String name) implements Command {
    @Override public String target() { return name; }
}
