package dev.berth.controller.core;

import dev.berth.bus.contract.DeploymentSpec;

/** A deployment as desired now; {@code generation} counts changes to it (1 when created). */
public record DeploymentRecord(DeploymentSpec spec, long generation) {
    public String name() { return spec.name(); }
    public int replicas() { return spec.replicas(); }
}
