package dev.berth.bus.contract;

/** Facts that services publish about the cluster, grouped by what they are about. */
public sealed interface Event extends Payload permits CommandResult, DeploymentEvent, NamespaceEvent, PodEvent, NodeEvent, SchedulingStep,
        ServiceEvent, Endpoints, ProxyMetrics, NodeMetrics, HorizontalPodAutoscalerEvent, HorizontalPodAutoscalerStatus, ContainerLogs,
        ConfigMapEvent, SecretEvent, JobEvent {
}
