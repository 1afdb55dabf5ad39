package dev.berth.bus.contract;

/** Desired-state commands users produce to {@code berth.commands}, keyed by {@link #target()}. */
public sealed interface Command extends Payload permits ApplyDeployment, ScaleDeployment, DeleteDeployment,
        ApplyNamespace, DeleteNamespace, ApplyService, DeleteService, ApplyHorizontalPodAutoscaler, DeleteHorizontalPodAutoscaler, ApplyJob, DeleteJob, CordonNode, UncordonNode, DrainNode,
        ApplyConfigMap, DeleteConfigMap, ApplySecret, DeleteSecret {
    /**
     * The object the command is about; also the record key: a deployment's {@link Namespaces#key}
     * or a Service's {@link Namespaces#key}
     * (namespace/name, the bare name in default), a namespace's or a node's name.
     */
    String target();
}
