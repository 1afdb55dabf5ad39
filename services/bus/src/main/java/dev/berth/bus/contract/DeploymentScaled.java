package dev.berth.bus.contract;

public record DeploymentScaled(String name, int replicas, long generation) implements DeploymentEvent {
}
