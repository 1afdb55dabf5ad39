package dev.berth.bus.contract;

import java.util.List;

/**
 * A Deployment's {@code status} as Kubernetes reports it, published by the controller when it changes: the generation
 * and revision it has acted on, how many pods it has ({@code replicas}), run the current revision ({@code updated}),
 * are ready, and have been ready for minReadySeconds ({@code available}); the Available and Progressing conditions.
 */
public record DeploymentStatusChanged(String name, String namespace, long observedGeneration, long revision, int replicas,
                                      int updatedReplicas, int readyReplicas, int availableReplicas, int unavailableReplicas,
                                      List<DeploymentCondition> conditions) implements DeploymentEvent {
    public DeploymentStatusChanged {
        namespace = Namespaces.orDefault(namespace);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** The condition of {@code type}; null when it has none. */
    public DeploymentCondition condition(String type) {
        for (DeploymentCondition c : conditions) if (c.type().equals(type)) return c;
        return null;
    }
}
