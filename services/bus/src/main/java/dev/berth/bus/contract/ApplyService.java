package dev.berth.bus.contract;

/** Create a Service or replace its spec (its cluster IP and nodePorts stay unless the spec names others). */
public record ApplyService(ServiceSpec service) implements Command {
    @Override public String target() { return service.key(); }
}
