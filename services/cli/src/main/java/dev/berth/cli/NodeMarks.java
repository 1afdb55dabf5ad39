package dev.berth.cli;

import dev.berth.bus.contract.Taint;
import dev.berth.node.NodeAgentOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Labels, taints and extended resources of local nodes, as {@code berth up} takes them, one option per node:
 * <pre>
 *   --node-labels node-1=topology.kubernetes.io/zone=a,disk=ssd    NODE=KEY=VALUE[,KEY=VALUE...]
 *   --node-taints node-2=dedicated=gpu:NoSchedule,maintenance      NODE=KEY[=VALUE][:NoSchedule][,...]
 *   --extended-resource node-2=nvidia.com/gpu=2                    [NODE=]NAME=COUNT (no NODE: every node)
 * </pre>
 * Everything up to the first '=' names the node (an extended resource's name has a '/', a node's never).
 * NoSchedule is the only taint effect and may be left out.
 *
 * @param extended per node, the extended resources it advertises; under {@link #EVERY_NODE} those of every node
 */
public record NodeMarks(Map<String, Map<String, String>> labels, Map<String, List<Taint>> taints,
                        Map<String, Map<String, Long>> extended) {
    public static final NodeMarks NONE = new NodeMarks(Map.of(), Map.of());
    /** The key of {@link #extended} for declarations without a node. */
    static final String EVERY_NODE = "*";

    public NodeMarks {
        labels = Map.copyOf(labels);
        taints = Map.copyOf(taints);
        extended = extended == null ? Map.of() : Map.copyOf(extended);
    }

    public NodeMarks(Map<String, Map<String, String>> labels, Map<String, List<Taint>> taints) {
        this(labels, taints, null);
    }

    /** Every node named by a label, taint or extended resource option. */
    public Set<String> nodes() {
        Set<String> named = new TreeSet<>(labels.keySet());
        named.addAll(taints.keySet());
        named.addAll(extended.keySet());
        named.remove(EVERY_NODE);
        return named;
    }

    /** The extended resources the node advertises: those declared for every node, then its own. */
    public Map<String, Long> extendedOf(String node) {
        Map<String, Long> out = new java.util.TreeMap<>(extended.getOrDefault(EVERY_NODE, Map.of()));
        out.putAll(extended.getOrDefault(node, Map.of()));
        return out;
    }

    public Map<String, String> labelsOf(String node) { return labels.getOrDefault(node, Map.of()); }

    public List<Taint> taintsOf(String node) { return taints.getOrDefault(node, List.of()); }

    /** " (zone=a, disk=ssd; taints dedicated=gpu:NoSchedule)", or "" for a node with neither. */
    public String describe(String node) {
        List<String> parts = new ArrayList<>();
        if (!labelsOf(node).isEmpty()) {
            parts.add(String.join(", ", new java.util.TreeMap<>(labelsOf(node)).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (!taintsOf(node).isEmpty()) parts.add("taints " + String.join(", ", taintsOf(node).stream().map(Taint::toString).toList()));
        if (!extendedOf(node).isEmpty()) {
            parts.add(String.join(", ", extendedOf(node).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()));
        }
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }

    public static NodeMarks parse(List<String> labelOptions, List<String> taintOptions) {
        return parse(labelOptions, taintOptions, List.of());
    }

    /** @throws IllegalArgumentException naming the option and what is wrong with it */
    public static NodeMarks parse(List<String> labelOptions, List<String> taintOptions, List<String> extendedOptions) {
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (String option : extendedOptions == null ? List.<String>of() : extendedOptions) {
            int eq = option.indexOf('=');
            boolean forOneNode = eq > 0 && !option.substring(0, eq).contains("/");
            String node = forOneNode ? option.substring(0, eq) : EVERY_NODE;
            declared.computeIfAbsent(node, n -> new ArrayList<>()).add(forOneNode ? option.substring(eq + 1) : option);
        }
        Map<String, Map<String, Long>> extended = new LinkedHashMap<>();
        declared.forEach((node, list) -> {
            try {
                extended.put(node, NodeAgentOptions.extendedResources(list));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--extended-resource: " + e.getMessage());
            }
        });
        NodeMarks marks = parse(labelOptions, taintOptions, extended);
        return marks;
    }

    private static NodeMarks parse(List<String> labelOptions, List<String> taintOptions, Map<String, Map<String, Long>> extended) {
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        for (String option : labelOptions == null ? List.<String>of() : labelOptions) {
            String[] nodeAndRest = split(option, "--node-labels", "NODE=KEY=VALUE[,KEY=VALUE...], e.g. node-1=zone=a,disk=ssd");
            Map<String, String> forNode = labels.computeIfAbsent(nodeAndRest[0], n -> new LinkedHashMap<>());
            for (String label : nodeAndRest[1].split(",")) {
                int eq = label.indexOf('=');
                if (eq <= 0) throw bad("--node-labels", option, "label '" + label + "' is not KEY=VALUE");
                forNode.put(label.substring(0, eq), label.substring(eq + 1));
            }
        }
        Map<String, List<Taint>> taints = new LinkedHashMap<>();
        for (String option : taintOptions == null ? List.<String>of() : taintOptions) {
            String[] nodeAndRest = split(option, "--node-taints", "NODE=KEY[=VALUE][:NoSchedule][,...], e.g. node-2=dedicated=gpu:NoSchedule");
            List<Taint> forNode = taints.computeIfAbsent(nodeAndRest[0], n -> new ArrayList<>());
            for (String taint : nodeAndRest[1].split(",")) forNode.add(taint(option, taint));
        }
        return new NodeMarks(labels, taints, extended);
    }

    private static Taint taint(String option, String text) {
        String effect = Taint.NO_SCHEDULE;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            effect = text.substring(colon + 1);
            text = text.substring(0, colon);
            if (!effect.equals(Taint.NO_SCHEDULE)) {
                throw bad("--node-taints", option, "effect '" + effect + "' is not supported: Berth's taints are NoSchedule");
            }
        }
        int eq = text.indexOf('=');
        String key = eq < 0 ? text : text.substring(0, eq);
        if (key.isEmpty()) throw bad("--node-taints", option, "a taint needs a key");
        return new Taint(key, eq < 0 ? "" : text.substring(eq + 1), effect);
    }

    private static String[] split(String option, String name, String syntax) {
        int eq = option.indexOf('=');
        if (eq <= 0 || eq == option.length() - 1) throw bad(name, option, "expected " + syntax);
        return new String[] {option.substring(0, eq), option.substring(eq + 1)};
    }

    private static IllegalArgumentException bad(String name, String option, String problem) {
        return new IllegalArgumentException(name + " " + option + ": " + problem);
    }
}
