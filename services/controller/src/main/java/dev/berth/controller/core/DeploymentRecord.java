package dev.berth.controller.core;

import dev.berth.bus.contract.DeploymentSpec;

/** A deployment as desired now; {@code generation} counts changes to it (1 when created). */
public record DeploymentRecord(DeploymentSpec spec, long generation) {
    public String name() { return spec.name(); }
    public String namespace() { return spec.namespace(); }
    /** Its {@link dev.berth.bus.contract.Namespaces#key}: how the controller indexes it. */
    public String key() { return spec.key(); }
    public int replicas() { return spec.replicas(); }
}
