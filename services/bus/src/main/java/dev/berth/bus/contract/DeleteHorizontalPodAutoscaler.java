package dev.berth.bus.contract;

/** Delete a HorizontalPodAutoscaler: its Deployment keeps the replicas it has. */
public record DeleteHorizontalPodAutoscaler(String namespace, String name) implements Command {
    public DeleteHorizontalPodAutoscaler {
        namespace = Namespaces.orDefault(namespace);
    }

    @Override public String target() { return Namespaces.key(namespace, name); }
}
