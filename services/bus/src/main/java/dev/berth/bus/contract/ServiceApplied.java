package dev.berth.bus.contract;

/** The Service as accepted: its cluster IP and every nodePort are allocated (filled in). */
public record ServiceApplied(ServiceSpec service) implements ServiceEvent {
    @Override public String namespace() { return service.namespace(); }

    @Override public String name() { return service.name(); }
}
