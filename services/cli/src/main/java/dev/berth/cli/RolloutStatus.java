package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.DeploymentCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth rollout status}: kubectl's deployment status viewer over the folded view. {@link #of} judges one state;
 * a {@link Follower} folds the log event by event and says what to print and when to stop (time as data: the
 * deadline is checked against the time it is given).
 */
final class RolloutStatus {
    private RolloutStatus() {}

    static final String TIMED_OUT = "timed out waiting for the condition";

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("((\\d+)(h|ms|m|s))+");
    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("(\\d+)(h|ms|m|s)");

    /** A --timeout as kubectl takes it (Go's durations: 90s, 5m, 1m30s, 500ms; 0 or a plain number of seconds). */
    static java.time.Duration timeout(String text) {
        String t = text.trim();
        if (t.matches("\\d{1,9}")) return java.time.Duration.ofSeconds(Long.parseLong(t));
        if (t.length() > 40 || !DURATION.matcher(t).matches()) {
            throw new IllegalArgumentException("invalid argument \"" + text + "\" for \"--timeout\" flag: expected a duration like 90s, 5m or 1m30s");
        }
        java.time.Duration d = java.time.Duration.ZERO;
        java.util.regex.Matcher m = PART.matcher(t);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> java.time.Duration.ofHours(n);
                case "m" -> java.time.Duration.ofMinutes(n);
                case "ms" -> java.time.Duration.ofMillis(n);
                default -> java.time.Duration.ofSeconds(n);
            });
        }
        return d;
    }

    /** What kubectl prints for a state: a message, whether the rollout is done, or an error that ends the wait. */
    record Verdict(String message, boolean done, String error) {
        static Verdict waiting(String message) { return new Verdict(message, false, null); }
    }

    /** kubectl's checks, in its order; {@code revision} &gt; 0 must be the current one. */
    static Verdict of(ClusterView view, ClusterView.DeploymentRow d, long revision) {
        String name = d.spec.name();
        if (revision > 0 && d.revision != revision) {
            return new Verdict(null, false, "desired revision (" + revision + ") is different from the running revision (" + d.revision + ")");
        }
        ClusterView.Counts c = view.counts(d);
        if (d.generation > c.observedGeneration()) return Verdict.waiting("Waiting for deployment spec update to be observed...");
        DeploymentCondition progressing = c.conditions().stream().filter(k -> DeploymentCondition.PROGRESSING.equals(k.type())).findFirst().orElse(null);
        if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.reason())) {
            return new Verdict(null, false, "deployment \"" + name + "\" exceeded its progress deadline");
        }
        String waiting = "Waiting for deployment \"" + name + "\" rollout to finish: ";
        int replicas = d.spec.replicas();
        if (c.updated() < replicas) return Verdict.waiting(waiting + c.updated() + " out of " + replicas + " new replicas have been updated...");
        if (c.replicas() > c.updated()) return Verdict.waiting(waiting + (c.replicas() - c.updated()) + " old replicas are pending termination...");
        if (c.available() < c.updated()) return Verdict.waiting(waiting + c.available() + " of " + c.updated() + " updated replicas are available...");
        return new Verdict("deployment \"" + name + "\" successfully rolled out", true, null);
    }

    /** What to print now (an error line with its prefix), and the exit code once the wait is over (null: keep following). */
    record Step(List<String> out, String error, Integer exit) {}

    /** Follows one deployment; prints each message once, as it changes. */
    static final class Follower {
        private final ClusterView view;
        private final String namespace, name;
        private final long revision;
        private final Instant deadline;
        private final boolean watch;
        private String last;

        /** {@code deadline}: when --timeout runs out (null: never); {@code watch} false: judge once and stop. */
        Follower(ClusterView view, String namespace, String name, long revision, Instant deadline, boolean watch) {
            this.view = view;
            this.namespace = namespace;
            this.name = name;
            this.revision = revision;
            this.deadline = deadline;
            this.watch = watch;
        }

        /** Folds one record of the log. */
        void apply(Envelope e) { view.apply(e); }

        /** The verdict at {@code now}, once the view holds everything read so far. */
        Step check(Instant now) {
            ClusterView.DeploymentRow d = view.deployment(namespace, name);
            if (d == null) {
                return new Step(List.of(), last == null ? "Error from server (NotFound): deployments.apps \"" + name + "\" not found"
                        : "error: object has been deleted", 1);
            }
            Verdict v = of(view, d, revision);
            List<String> out = new ArrayList<>();
            if (v.message() != null && !v.message().equals(last)) out.add(v.message());
            if (v.message() != null) last = v.message();
            if (v.error() != null) return new Step(out, "error: " + v.error(), 1);
            if (v.done() || !watch) return new Step(out, null, 0);
            if (deadline != null && !now.isBefore(deadline)) return new Step(out, "error: " + TIMED_OUT, 1);
            return new Step(out, null, null);
        }
    }
}
