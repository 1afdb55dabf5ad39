package dev.berth.bus.contract;

/** Delete a Service: its cluster IP and nodePorts are freed, its endpoints record is removed. */
public record DeleteService(String namespace, String name) implements Command {
    public DeleteService {
        namespace = Namespaces.orDefault(namespace);
    }

    @Override public String target() { return Namespaces.key(namespace, name); }
}
