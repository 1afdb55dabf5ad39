package dev.berth.cli;

import dev.berth.bus.contract.Taint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Labels and taints of local nodes, as {@code berth up} takes them, one option per node:
 * <pre>
 *   --node-labels node-1=topology.kubernetes.io/zone=a,disk=ssd    NODE=KEY=VALUE[,KEY=VALUE...]
 *   --node-taints node-2=dedicated=gpu:NoSchedule,maintenance      NODE=KEY[=VALUE][:NoSchedule][,...]
 * </pre>
 * Everything up to the first '=' names the node. NoSchedule is the only taint effect and may be left out.
 */
public record NodeMarks(Map<String, Map<String, String>> labels, Map<String, List<Taint>> taints) {
    public static final NodeMarks NONE = new NodeMarks(Map.of(), Map.of());

    public NodeMarks {
        labels = Map.copyOf(labels);
        taints = Map.copyOf(taints);
    }

    /** Every node named by a label or taint option. */
    public Set<String> nodes() {
        Set<String> named = new TreeSet<>(labels.keySet());
        named.addAll(taints.keySet());
        return named;
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
        return parts.isEmpty() ? "" : " (" + String.join("; ", parts) + ")";
    }

    /** @throws IllegalArgumentException naming the option and what is wrong with it */
    public static NodeMarks parse(List<String> labelOptions, List<String> taintOptions) {
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
        return new NodeMarks(labels, taints);
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
