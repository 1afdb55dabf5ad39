package dev.berth.bus;

import java.time.Duration;

/**
 * The catalogue of every Kafka topic Berth uses: one place in code, mirrored as a table in
 * docs/topics.md. Each topic has exactly one owning service (its only writer).
 */
public enum Topic {
    COMMANDS("berth.commands", "deployment or node name", Owner.USERS, 3, Cleanup.DELETE, Duration.ofDays(30),
            "Desired-state commands from users (CLI, kcat, scripts)."),
    COMMAND_RESULTS("berth.command-results", "command id", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(30),
            "One answer per command: accepted, or rejected with a reason."),
    DEPLOYMENTS("berth.deployments", "deployment name", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "History of desired state: deployments applied, scaled, deleted."),
    PODS("berth.pods", "pod name", Owner.CONTROLLER, 6, Cleanup.DELETE, Duration.ofDays(365),
            "Pod intents from the reconciler: created, deletion requested."),
    NODES("berth.nodes", "node name", Owner.CONTROLLER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "Node status as the controller sees it: Ready/NotReady (heartbeats), cordoned."),
    PLACEMENTS("berth.placements", "node name", Owner.SCHEDULER, 6, Cleanup.DELETE, Duration.ofDays(365),
            "Bindings of pods to nodes and their release, in order per node."),
    SCHEDULING("berth.scheduling", "pod name (steps: scheduler)", Owner.SCHEDULER, 3, Cleanup.DELETE, Duration.ofDays(365),
            "Scheduling outcomes that are not placements: unschedulable pods and why; the steps that replay re-runs."),
    NODE_HEARTBEATS("berth.node-heartbeats", "node name", Owner.NODE_AGENT, 3, Cleanup.DELETE, Duration.ofDays(1),
            "Node liveness, capacity, allocatable resources and running pods, every second."),
    POD_STATUS("berth.pod-status", "pod name", Owner.NODE_AGENT, 6, Cleanup.DELETE, Duration.ofDays(365),
            "What actually runs: container state changes reported by node agents."),
    DEAD_LETTERS("berth.dead-letters", "source topic", Owner.ANY_CONSUMER, 1, Cleanup.DELETE, Duration.ofDays(30),
            "Poison records set aside by a consumer, with the reason; never consumed by services.");

    public enum Owner { USERS, CONTROLLER, SCHEDULER, NODE_AGENT, ANY_CONSUMER }

    public enum Cleanup { DELETE, COMPACT }

    private final String topicName;
    private final String key;
    private final Owner owner;
    private final int partitions;
    private final Cleanup cleanup;
    private final Duration retention;
    private final String purpose;

    Topic(String topicName, String key, Owner owner, int partitions, Cleanup cleanup, Duration retention, String purpose) {
        this.topicName = topicName;
        this.key = key;
        this.owner = owner;
        this.partitions = partitions;
        this.cleanup = cleanup;
        this.retention = retention;
        this.purpose = purpose;
    }

    /** The Kafka topic name, always {@code berth.*}. */
    public String topicName() { return topicName; }
    public String key() { return key; }
    public Owner owner() { return owner; }
    public int partitions() { return partitions; }
    public Cleanup cleanup() { return cleanup; }
    public Duration retention() { return retention; }
    public String purpose() { return purpose; }

    public static Topic byName(String topicName) {
        for (Topic t : values()) {
            if (t.topicName.equals(topicName)) return t;
        }
        throw new IllegalArgumentException("not a Berth topic: " + topicName);
    }
}
