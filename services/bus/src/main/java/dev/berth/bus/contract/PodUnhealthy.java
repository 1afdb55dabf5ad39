package dev.berth.bus.contract;

import java.time.Instant;

/**
 * A probe of the pod's container failed, as Kubernetes' {@code Unhealthy} event: which probe (Liveness, Readiness,
 * Startup), what it saw ("HTTP probe failed with statuscode: 500"). A node reports a repeating failure at most every
 * few seconds with its {@code count} since {@code firstSeen}, so a flapping probe cannot flood the log.
 */
public record PodUnhealthy(String pod, String node, String namespace, String probe, String message, int count, Instant firstSeen,
                           Instant lastSeen) implements PodEvent {
    public static final String LIVENESS = "Liveness", READINESS = "Readiness", STARTUP = "Startup";

    public PodUnhealthy {
        namespace = Namespaces.orDefault(namespace);
    }
}
