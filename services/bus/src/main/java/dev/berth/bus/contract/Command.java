package dev.berth.bus.contract;

/** Desired-state commands users produce to {@code berth.commands}, keyed by {@link #target()}. */
public sealed interface Command extends Payload permits ApplyDeployment, ScaleDeployment, DeleteDeployment,
        CordonNode, UncordonNode, DrainNode {
    /** The deployment or node the command is about; also the record key. */
    String target();
}
