package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodLost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pod's causal history from the log, pure: its own events, the user commands they descend from
 * (correlation id) with their answers, every event on the causation chains in between, the node
 * failure that lost it, and the pod that replaced it.
 */
final class PodHistory {
    private PodHistory() {}

    /**
     * The chain, oldest first; {@code replacement} names the pod created in its place if it was lost,
     * {@code predecessor} the lost pod it replaced.
     */
    record Chain(List<Envelope> events, Optional<String> replacement, Optional<String> predecessor) {}

    static Chain of(String pod, List<Envelope> log) {
        String object = "pod/" + pod;
        Map<String, Envelope> byId = new HashMap<>();
        for (Envelope e : log) byId.put(e.id(), e);

        Set<Envelope> chain = new LinkedHashSet<>();
        Set<String> correlations = new LinkedHashSet<>();
        PodLost lost = null;
        Envelope lostAt = null;
        String deployment = null;
        for (Envelope e : log) {
            if (!object.equals(EventText.object(e.data()))) continue;
            chain.add(e);
            if (e.correlationId() != null) correlations.add(e.correlationId());
            for (Envelope cause = byId.get(e.causationId()); cause != null && chain.add(cause); cause = byId.get(cause.causationId())) {
                // walk up the causation chain
            }
            if (e.data() instanceof PodCreated c) deployment = c.deploymentKey();
            if (e.data() instanceof PodLost l) {
                lost = l;
                lostAt = e;
            }
        }
        for (Envelope e : log) {
            boolean command = e.data() instanceof Command && correlations.contains(e.id());
            boolean answer = e.data() instanceof CommandAccepted a && correlations.contains(a.commandId())
                    || e.data() instanceof CommandRejected r && correlations.contains(r.commandId());
            if (command || answer) chain.add(e);
        }
        Optional<String> replacement = Optional.empty();
        if (lost != null) {
            chain.add(lastNodeStatusBefore(log, lost.node(), lostAt));
            replacement = Optional.ofNullable(replacements(log, deployment).get(pod));
            replacement.flatMap(r -> creation(log, r)).ifPresent(chain::add);
        }
        Optional<String> predecessor = Optional.empty();
        if (deployment != null) {
            for (var pair : replacements(log, deployment).entrySet()) {
                if (!pair.getValue().equals(pod)) continue;
                predecessor = Optional.of(pair.getKey());
                for (Envelope e : log) {
                    if (e.data() instanceof PodLost l && l.pod().equals(pair.getKey())) {
                        chain.add(lastNodeStatusBefore(log, l.node(), e));
                        chain.add(e);
                    }
                }
            }
        }
        chain.remove(null);
        List<Envelope> events = new ArrayList<>(chain);
        // Events of one instant are ordered cause before effect (more causation ancestors = later).
        events.sort(Comparator.comparing(Envelope::time).thenComparingInt(e -> depth(e, byId)));
        return new Chain(events, replacement, predecessor);
    }

    private static int depth(Envelope e, Map<String, Envelope> byId) {
        int depth = 0;
        String causation = e.causationId();
        if (causation == null && e.correlationId() != null && !e.correlationId().equals(e.id())) depth++; // an answer follows its command
        for (Envelope c = byId.get(causation); c != null && depth < 1000; c = byId.get(c.causationId())) depth++;
        return depth;
    }

    private static Envelope lastNodeStatusBefore(List<Envelope> log, String node, Envelope at) {
        Envelope found = null;
        for (Envelope e : log) {
            if (e.time().isAfter(at.time())) break;
            if (e.data() instanceof NodeStatusChanged s && s.node().equals(node)) found = e;
        }
        return found;
    }

    /**
     * Lost pods of a deployment paired with the pods the reconciler created next, in order: each
     * loss is made good by the next creation (the reconciler replaces a lost pod at once).
     */
    private static Map<String, String> replacements(List<Envelope> log, String deployment) {
        Map<String, String> pairs = new HashMap<>();
        java.util.ArrayDeque<String> waiting = new java.util.ArrayDeque<>();
        // Losses and creations of one instant: losses first, then by pod name, so every reading of
        // the log (whole, targeted, exported) pairs them the same way.
        List<Envelope> relevant = new ArrayList<>();
        for (Envelope e : log) {
            if (e.data() instanceof PodLost || e.data() instanceof PodCreated) relevant.add(e);
        }
        relevant.sort(Comparator.comparing(Envelope::time)
                .thenComparing(e -> e.data() instanceof PodLost ? 0 : 1)
                .thenComparing(e -> EventText.object(e.data())));
        for (Envelope e : relevant) {
            if (e.data() instanceof PodLost l && l.deploymentKey().equals(deployment)) waiting.add(l.pod());
            else if (e.data() instanceof PodCreated c && c.deploymentKey().equals(deployment) && !waiting.isEmpty()) {
                pairs.put(waiting.poll(), c.pod());
            }
        }
        return pairs;
    }

    private static Optional<Envelope> creation(List<Envelope> log, String pod) {
        return log.stream().filter(e -> e.data() instanceof PodCreated c && c.pod().equals(pod)).findFirst();
    }
}
