package dev.berth.scheduler.core.plugins;

import dev.berth.bus.contract.Taint;
import dev.berth.bus.contract.Toleration;
import dev.berth.scheduler.core.FilterPlugin;
import dev.berth.scheduler.core.NodeView;
import dev.berth.scheduler.core.PodRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rejects nodes with a NoSchedule taint the pod does not tolerate (Kubernetes' TaintToleration).
 * The reason names the node's first such taint, in the order the node lists them, as Kubernetes
 * does: "had untolerated taint {dedicated=gpu}".
 */
public record TaintToleration() implements FilterPlugin {
    public static final String UNTOLERATED = "had untolerated taint ";

    /** Reasons built once per distinct taint, so rejecting thousands of tainted nodes builds no strings. */
    private static final Map<Taint, String> REASONS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_REASONS = 1024;

    @Override public String name() { return "TaintToleration"; }

    @Override
    public String filter(PodRequest pod, NodeView node, Instant now) {
        return forPod(pod).filter(pod, node, now);
    }

    @Override
    public FilterPlugin forPod(PodRequest pod) {
        return new Tolerating(pod.tolerations().toArray(new Toleration[0]));
    }

    /** "had untolerated taint {key=value}", or "{key}" for a taint without a value. */
    public static String reason(Taint taint) {
        String cached = REASONS.get(taint);
        if (cached != null) return cached;
        String reason = UNTOLERATED + "{" + taint.key() + (taint.value().isEmpty() ? "" : "=" + taint.value()) + "}";
        if (REASONS.size() < MAX_CACHED_REASONS) REASONS.put(taint, reason);
        return reason;
    }

    private record Tolerating(Toleration[] tolerations) implements FilterPlugin {
        @Override public String name() { return "TaintToleration"; }

        @Override
        public String filter(PodRequest pod, NodeView node, Instant now) {
            if (!node.hasNoScheduleTaint()) return null;
            List<Taint> taints = node.taints();
            for (int i = 0; i < taints.size(); i++) {
                Taint taint = taints.get(i);
                if (Taint.NO_SCHEDULE.equals(taint.effect()) && !tolerated(taint)) return reason(taint);
            }
            return null;
        }

        private boolean tolerated(Taint taint) {
            for (Toleration t : tolerations) if (t.tolerates(taint)) return true;
            return false;
        }
    }
}
