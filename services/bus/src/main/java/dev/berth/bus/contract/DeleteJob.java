package dev.berth.bus.contract;

/** Delete a Job and its pods (kubectl's default cascade). */
public record DeleteJob(String name, String namespace) implements Command {
    public DeleteJob {
        namespace = Namespaces.orDefault(namespace);
    }

    @Override public String target() { return Namespaces.key(namespace, name); }
}
