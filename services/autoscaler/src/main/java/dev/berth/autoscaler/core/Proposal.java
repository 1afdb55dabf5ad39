package dev.berth.autoscaler.core;

/**
 * What one metric proposes: a replica count and the metric's current value (average utilization in percent of
 * requests, or average value in milli-units), or why it cannot (then {@code replicas} is -1).
 */
public record Proposal(int replicas, long current, String error) {
    public static Proposal of(int replicas, long current) { return new Proposal(replicas, current, null); }

    public static Proposal invalid(String error) { return new Proposal(-1, -1, error); }

    public boolean valid() { return error == null; }
}
