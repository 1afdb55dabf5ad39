package dev.berth.bus.contract;

/** Create a ConfigMap or replace its values (refused once it is immutable and they would change). */
public record ApplyConfigMap(ConfigMapSpec configMap) implements Command {
    @Override public String target() { return configMap.key(); }
}
