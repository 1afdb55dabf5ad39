package dev.berth.controller.core;

import dev.berth.bus.contract.CommandAccepted;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Everything the controller knows, immutable. It changes only through {@link EventAppliers}, so
 * folding the controller's own events (and the node reports it read) from the log rebuilds it.
 *
 * @param deployments  desired state by deployment name (deleted ones are removed)
 * @param pods         pods by name, until their node reports them stopped after deletion was requested
 * @param images       every image some node advertised, with when it was last seen
 * @param nodes        nodes by name, from their heartbeats and the statuses the controller published
 * @param podSerials   per deployment name, the serial the next pod gets; kept after deletion so names never repeat
 * @param accepted     accepted commands by command id: a re-delivered command gets the same answer
 */
public record ControllerState(Map<String, DeploymentRecord> deployments, Map<String, PodRecord> pods,
                              Map<String, Instant> images, Map<String, NodeRecord> nodes,
                              Map<String, Long> podSerials, Map<String, CommandAccepted> accepted) {

    private static final ControllerState EMPTY = new ControllerState(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    public ControllerState {
        deployments = Map.copyOf(deployments);
        pods = Map.copyOf(pods);
        images = Map.copyOf(images);
        nodes = Map.copyOf(nodes);
        podSerials = Map.copyOf(podSerials);
        accepted = Map.copyOf(accepted);
    }

    public static ControllerState empty() { return EMPTY; }

    public Optional<DeploymentRecord> deployment(String name) { return Optional.ofNullable(name == null ? null : deployments.get(name)); }

    /** Pods of a deployment, oldest first. */
    public List<PodRecord> podsOf(String deployment) {
        return pods.values().stream().filter(p -> p.deployment().equals(deployment))
                .sorted(Comparator.comparingLong(PodRecord::serial).thenComparing(PodRecord::name)).toList();
    }

    /** Pods of a deployment that are meant to keep running (deletion not requested), oldest first. */
    public List<PodRecord> livePodsOf(String deployment) {
        return podsOf(deployment).stream().filter(p -> !p.deletionRequested()).toList();
    }

    public Optional<NodeRecord> node(String name) { return Optional.ofNullable(name == null ? null : nodes.get(name)); }

    /** Pods placed on or reported by {@code node}, by name. */
    public List<PodRecord> podsOn(String node) {
        return pods.values().stream().filter(p -> p.isOn(node)).sorted(Comparator.comparing(PodRecord::name)).toList();
    }

    public long nextSerial(String deployment) { return podSerials.getOrDefault(deployment, 0L); }

    /** Images some node has advertised, sorted. */
    public TreeSet<String> knownImages() { return new TreeSet<>(images.keySet()); }

    public Optional<CommandAccepted> acceptedCommand(String commandId) { return Optional.ofNullable(accepted.get(commandId)); }

    /** A changed copy; {@code change} may mutate only the builder it is given. Used by {@link EventAppliers}. */
    ControllerState with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** Mutable working copy; each map is copied only when first written (steps usually touch one or two). */
    static final class Builder {
        private final ControllerState base;
        private Map<String, DeploymentRecord> deployments;
        private Map<String, PodRecord> pods;
        private Map<String, Instant> images;
        private Map<String, NodeRecord> nodes;
        private Map<String, Long> podSerials;
        private Map<String, CommandAccepted> accepted;

        Builder(ControllerState base) { this.base = base; }

        Map<String, DeploymentRecord> deployments() { return deployments == null ? deployments = new HashMap<>(base.deployments) : deployments; }
        Map<String, PodRecord> pods() { return pods == null ? pods = new HashMap<>(base.pods) : pods; }
        Map<String, Instant> images() { return images == null ? images = new HashMap<>(base.images) : images; }
        Map<String, NodeRecord> nodes() { return nodes == null ? nodes = new HashMap<>(base.nodes) : nodes; }
        Map<String, Long> podSerials() { return podSerials == null ? podSerials = new HashMap<>(base.podSerials) : podSerials; }
        Map<String, CommandAccepted> accepted() { return accepted == null ? accepted = new HashMap<>(base.accepted) : accepted; }

        /** Reads that see this builder's own writes. */
        DeploymentRecord deployment(String name) { return (deployments != null ? deployments : base.deployments).get(name); }
        PodRecord pod(String name) { return (pods != null ? pods : base.pods).get(name); }
        NodeRecord node(String name) { return (nodes != null ? nodes : base.nodes).get(name); }

        ControllerState build() {
            return new ControllerState(
                    deployments == null ? base.deployments : deployments,
                    pods == null ? base.pods : pods,
                    images == null ? base.images : images,
                    nodes == null ? base.nodes : nodes,
                    podSerials == null ? base.podSerials : podSerials,
                    accepted == null ? base.accepted : accepted);
        }
    }
}
