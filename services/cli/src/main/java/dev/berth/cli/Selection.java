package dev.berth.cli;

import dev.berth.bus.labels.LabelSelector;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which objects a {@code get} or {@code delete} lists: the one named, or those whose labels a
 * {@code -l} selector matches (kubectl refuses both at once), or all.
 *
 * @param name   only the object of this name; null: any
 * @param labels the {@code -l} selector; {@link LabelSelector#EVERYTHING} without one
 */
record Selection(String name, LabelSelector labels) {
    static final Selection ALL = new Selection(null, LabelSelector.EVERYTHING);

    Selection {
        labels = labels == null ? LabelSelector.EVERYTHING : labels;
    }

    static Selection named(String name) { return new Selection(name, LabelSelector.EVERYTHING); }

    /** kubectl's {@code -l} text; null or blank selects everything. */
    static Selection of(String name, String selector) throws LabelSelector.InvalidSelector {
        return new Selection(name, LabelSelector.parse(selector));
    }

    boolean test(String objectName, Map<String, String> objectLabels) {
        return (name == null || name.equals(objectName)) && labels.matches(objectLabels);
    }

    /** kubectl's LABELS column: {@code k=v,k2=v2} sorted by key, {@code <none>} without any. */
    static String column(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) return "<none>";
        return new TreeMap<>(labels).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
