package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Limits;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.cli.DeploymentManifest.InvalidManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Deployment manifest's rollout fields (spec.strategy, minReadySeconds, progressDeadlineSeconds,
 * revisionHistoryLimit, paused) and annotations, refused early in the words of Kubernetes' validation, which the
 * controller applies again (the bus's Validation holds the same rules).
 */
final class RolloutManifest {
    private RolloutManifest() {}

    static final Set<String> SPEC_FIELDS = Set.of("strategy", "minReadySeconds", "progressDeadlineSeconds", "revisionHistoryLimit", "paused");
    private static final Set<String> STRATEGY = Set.of("type", "rollingUpdate");
    private static final Set<String> ROLLING_UPDATE = Set.of("maxSurge", "maxUnavailable");
    private static final Pattern PERCENT = Pattern.compile("[0-9]{1,9}%");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

    /** The rollout fields of {@code spec}; Kubernetes' defaults for those absent. */
    static DeploymentSpec.Rollout rollout(JsonNode spec, List<String> ignored) throws InvalidManifest {
        DeploymentStrategy strategy = strategy(spec.path("strategy"), ignored);
        int minReady = seconds(spec.path("minReadySeconds"), "spec.minReadySeconds", 0);
        Integer deadline = spec.hasNonNull("progressDeadlineSeconds")
                ? seconds(spec.path("progressDeadlineSeconds"), "spec.progressDeadlineSeconds", 1) : null;
        int effectiveDeadline = deadline == null ? DeploymentSpec.Rollout.DEFAULT_PROGRESS_DEADLINE_SECONDS : deadline;
        if (effectiveDeadline <= minReady) {
            throw new InvalidManifest("spec.progressDeadlineSeconds: Invalid value: " + effectiveDeadline + ": must be greater than minReadySeconds");
        }
        Integer history = null;
        JsonNode h = spec.path("revisionHistoryLimit");
        if (!h.isMissingNode() && !h.isNull()) {
            history = whole(h, "spec.revisionHistoryLimit");
            if (history > Limits.REVISION_HISTORY_MAX) {
                throw new InvalidManifest("spec.revisionHistoryLimit: Invalid value: " + history + ": must be between 0 and " + Limits.REVISION_HISTORY_MAX);
            }
        }
        JsonNode p = spec.path("paused");
        if (!p.isMissingNode() && !p.isNull() && !p.isBoolean()) throw new InvalidManifest("spec.paused: expected true or false");
        return new DeploymentSpec.Rollout(strategy, minReady, deadline, history, p.asBoolean(false));
    }

    /** {@code spec.strategy}: RollingUpdate (the default, 25%/25%) or Recreate. */
    static DeploymentStrategy strategy(JsonNode n, List<String> ignored) throws InvalidManifest {
        String at = "spec.strategy";
        if (n.isMissingNode() || n.isNull()) return DeploymentStrategy.DEFAULT;
        if (!n.isObject()) throw new InvalidManifest(at + ": expected {type: RollingUpdate | Recreate, rollingUpdate: {maxSurge, maxUnavailable}}");
        DeploymentManifest.unsupported(n, at, STRATEGY, ignored);
        String type = n.hasNonNull("type") ? n.get("type").asText() : DeploymentStrategy.ROLLING_UPDATE;
        JsonNode rolling = n.path("rollingUpdate");
        boolean hasRolling = !rolling.isMissingNode() && !rolling.isNull();
        if (type.equals(DeploymentStrategy.RECREATE)) {
            if (hasRolling) throw new InvalidManifest(at + ".rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
            return DeploymentStrategy.recreate();
        }
        if (!type.equals(DeploymentStrategy.ROLLING_UPDATE)) {
            throw new InvalidManifest(at + ".type: Unsupported value: \"" + type + "\": supported values: \"Recreate\", \"RollingUpdate\"");
        }
        if (!hasRolling) return DeploymentStrategy.DEFAULT;
        if (!rolling.isObject()) throw new InvalidManifest(at + ".rollingUpdate: expected {maxSurge, maxUnavailable}");
        DeploymentManifest.unsupported(rolling, at + ".rollingUpdate", ROLLING_UPDATE, ignored);
        String surge = intOrPercent(rolling.path("maxSurge"), at + ".rollingUpdate.maxSurge");
        String unavailable = intOrPercent(rolling.path("maxUnavailable"), at + ".rollingUpdate.maxUnavailable");
        DeploymentStrategy s = DeploymentStrategy.rolling(surge, unavailable);
        if (DeploymentStrategy.overHundredPercent(s.maxUnavailable())) {
            throw new InvalidManifest(at + ".rollingUpdate.maxUnavailable: Invalid value: \"" + s.maxUnavailable() + "\": must not be greater than 100%");
        }
        if (DeploymentStrategy.zero(s.maxSurge()) && DeploymentStrategy.zero(s.maxUnavailable())) {
            throw new InvalidManifest(at + ".rollingUpdate.maxUnavailable: Invalid value: " + quoted(rolling.path("maxUnavailable"), s.maxUnavailable())
                    + ": may not be 0 when `maxSurge` is 0");
        }
        return s;
    }

    /** Kubernetes' IntOrString: a whole number >= 0 or a percentage such as "25%"; null when absent (the default). */
    static String intOrPercent(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (n.isIntegralNumber()) {
            if (n.asLong() < 0) throw new InvalidManifest(at + ": Invalid value: " + n.asText() + ": must be greater than or equal to 0");
            if (!NUMBER.matcher(n.asText()).matches()) throw new InvalidManifest(at + ": Invalid value: " + n.asText() + ": must be a number or a percentage, e.g. 1 or 25%");
            return n.asText();
        }
        String v = n.asText();
        if (n.isTextual() && (PERCENT.matcher(v).matches() || NUMBER.matcher(v).matches())) return v;
        throw new InvalidManifest(at + ": Invalid value: \"" + v + "\": '" + v + "' must be a number or a percentage, e.g. 1 or 25%");
    }

    /** metadata.annotations or spec.template.metadata.annotations: string values (Kubernetes refuses others). */
    static Map<String, String> annotations(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return Map.of();
        if (!n.isObject()) throw new InvalidManifest(at + ": expected a map of annotation to value, e.g. {kubernetes.io/change-cause: \"image 1.2\"}");
        if (n.size() > Limits.ANNOTATIONS_MAX_ENTRIES) throw new InvalidManifest(at + ": at most " + Limits.ANNOTATIONS_MAX_ENTRIES + " annotations");
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isValueNode()) throw new InvalidManifest(at + "." + e.getKey() + ": expected a string value");
            String v = e.getValue().isNull() ? "" : e.getValue().asText();
            if (v.length() > Limits.ANNOTATION_VALUE_MAX_LENGTH) {
                throw new InvalidManifest(at + "." + e.getKey() + ": Too long: must have at most " + Limits.ANNOTATION_VALUE_MAX_LENGTH + " characters");
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    private static int seconds(JsonNode n, String at, int min) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return 0;
        int v = whole(n, at);
        if (v < min) throw new InvalidManifest(at + ": Invalid value: " + v + ": must be greater than " + (min - 1));
        if (v > Limits.ROLLOUT_SECONDS_MAX) throw new InvalidManifest(at + ": Invalid value: " + v + ": must be between " + min + " and " + Limits.ROLLOUT_SECONDS_MAX);
        return v;
    }

    /** A whole number >= 0, Kubernetes' wording when negative. */
    private static int whole(JsonNode n, String at) throws InvalidManifest {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw new InvalidManifest(at + ": expected a whole number");
        if (n.asInt() < 0) throw new InvalidManifest(at + ": Invalid value: " + n.asInt() + ": must be greater than or equal to 0");
        return n.asInt();
    }

    private static String quoted(JsonNode n, String v) { return n.isTextual() ? "\"" + v + "\"" : v; }
}
