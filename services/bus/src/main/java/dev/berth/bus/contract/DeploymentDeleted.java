package dev.berth.bus.contract;

public record DeploymentDeleted(String name, long generation) implements DeploymentEvent {
}
