package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.*;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** Events in words, for `berth events` and `berth why`: which object each is about and what it says. */
final class EventText {
    private EventText() {}

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** {@code kind/name} of the object an event is about, e.g. {@code pod/web-7d4kq}. */
    static String object(Payload p) {
        if (p instanceof ApplyDeployment c) return "deployment/" + c.target();
        if (p instanceof ScaleDeployment c) return "deployment/" + c.name();
        if (p instanceof DeleteDeployment c) return "deployment/" + c.name();
        if (p instanceof CordonNode c) return "node/" + c.node();
        if (p instanceof UncordonNode c) return "node/" + c.node();
        if (p instanceof DrainNode c) return "node/" + c.node();
        if (p instanceof CommandAccepted r) return kindOf(r.commandType()) + r.target();
        if (p instanceof CommandRejected r) return r.target() == null ? "command/" + r.commandId() : kindOf(r.commandType()) + r.target();
        if (p instanceof DeploymentEvent e) return "deployment/" + e.name();
        if (p instanceof PodEvent e) return "pod/" + e.pod();
        if (p instanceof NodeEvent e) return "node/" + e.node();
        return "?";
    }

    private static String kindOf(String commandType) {
        return commandType != null && commandType.endsWith("Node") ? "node/" : "deployment/";
    }

    /** What the event says, in one line. */
    static String message(Payload p) {
        if (p instanceof ApplyDeployment c) {
            DeploymentSpec d = c.deployment();
            return "apply: " + d.replicas() + " replicas of " + d.template().image() + " (" + ResourceText.brief(d.template().resources()) + ")";
        }
        if (p instanceof ScaleDeployment c) return "scale to " + c.replicas() + (c.replicas() == 1 ? " replica" : " replicas");
        if (p instanceof DeleteDeployment c) return "delete";
        if (p instanceof CordonNode c) return "cordon";
        if (p instanceof UncordonNode c) return "uncordon";
        if (p instanceof DrainNode c) return "drain";
        if (p instanceof CommandAccepted r) return "accepted: " + r.message();
        if (p instanceof CommandRejected r) return "rejected: " + r.reason() + (r.problems().isEmpty() ? "" : " " + r.problems());
        if (p instanceof DeploymentApplied e) return "desired: " + e.deployment().replicas() + " replicas, generation " + e.generation();
        if (p instanceof DeploymentScaled e) return "desired: " + e.replicas() + " replicas, generation " + e.generation();
        if (p instanceof DeploymentDeleted e) return "deleted from desired state";
        if (p instanceof PodCreated e) return "created for deployment " + e.deployment() + " (generation " + e.generation() + ")";
        if (p instanceof PodDeletionRequested e) return "deletion requested: " + e.reason();
        if (p instanceof PodLost e) return "lost with node " + e.node() + ": " + e.reason();
        if (p instanceof PodPlaced e) return "placed on " + e.node() + ": " + explain(e);
        if (p instanceof PodReleased e) return "released from " + e.node() + ": " + e.reason();
        if (p instanceof PodUnschedulable e) return "unschedulable: " + e.message();
        if (p instanceof PodStatusChanged e) {
            String s = e.state() + " on " + e.node();
            if (e.reason() != null) s += " (" + e.reason() + ")";
            if (e.exitCode() != null) s += ", exit code " + e.exitCode();
            if (e.restartCount() > 0) s += ", restarts " + e.restartCount();
            if (e.message() != null && !e.message().isBlank()) s += ": " + e.message();
            return s;
        }
        if (p instanceof NodeHeartbeat e) return "heartbeat: " + e.pods().size() + " pods";
        if (p instanceof NodeStatusChanged e) return e.condition() + (e.cordoned() ? ", cordoned" : "") + ": " + e.reason();
        return p.getClass().getSimpleName();
    }

    /** The scheduler's reasons: filter counts and the best candidates with their scores. */
    static String explain(PodPlaced p) {
        String filtered = p.filtered().isEmpty() ? "none filtered"
                : p.filtered().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + " filtered";
        String top = p.topCandidates().stream()
                .map(c -> c.node() + " " + String.format(java.util.Locale.ROOT, "%.1f", c.total()) + " " + c.scores())
                .collect(Collectors.joining("; "));
        return considered(p) + ", " + filtered + "; best: " + top;
    }

    /** "12 nodes considered", or "100 of 5000 nodes considered (sampled)" when the scheduler examined a sample. */
    static String considered(PodPlaced p) {
        return p.sampled() ? p.nodesConsidered() + " of " + p.nodesKnown() + " nodes considered (sampled)"
                : p.nodesConsidered() + " nodes considered";
    }

    static String line(Envelope e) {
        return String.format("%s  %-22s %-28s %s", TIME.format(e.time()), e.type(), object(e.data()), message(e.data()));
    }
}
