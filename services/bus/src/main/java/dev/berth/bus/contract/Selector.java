package dev.berth.bus.contract;

import dev.berth.bus.labels.LabelSelector;
import java.util.List;
import java.util.Map;

/**
 * A Deployment's {@code spec.selector} in Kubernetes' JSON shape (metav1.LabelSelector):
 * {@code matchLabels} and {@code matchExpressions}, ANDed. {@link #toLabelSelector()} turns it into
 * the matcher of {@code dev.berth.bus.labels}.
 *
 * @param matchLabels      every pair must be carried; null: none
 * @param matchExpressions {@code {key, operator, values}} with operator In, NotIn, Exists or DoesNotExist; null: none
 */
public record Selector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    /** One {@code matchExpressions} entry (metav1.LabelSelectorRequirement). */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    public Selector {
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    /** A selector of {@code matchLabels} alone. */
    public static Selector matching(Map<String, String> labels) { return new Selector(labels, null); }

    /** Selects everything (Kubernetes rejects that for a Deployment). Not named isEmpty: JSON would list it. */
    public boolean hasNoRequirements() { return matchLabels.isEmpty() && matchExpressions.isEmpty(); }

    /** The matcher; throws with Kubernetes' reason when a key, value or operator is not one. */
    public LabelSelector toLabelSelector() throws LabelSelector.InvalidSelector {
        return LabelSelector.of(matchLabels, matchExpressions.stream()
                .map(r -> new LabelSelector.Expression(r.key(), r.operator(), r.values())).toList());
    }
}
