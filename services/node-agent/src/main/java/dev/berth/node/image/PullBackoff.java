package dev.berth.node.image;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The kubelet's image pull back-off as a value: after a failed pull of an image (per pod and image),
 * the next attempt waits 10 s, doubling up to 5 min; a success forgets it. The container's waiting
 * reason follows Kubernetes: ContainerCreating while a pull may run, ErrImagePull right after a
 * failure, ImagePullBackOff while waiting to retry; the message keeps the registry's answer.
 * Pure: time enters as data.
 */
public record PullBackoff(Map<String, Entry> entries) {

    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofMinutes(5);
    public static final String CONTAINER_CREATING = "ContainerCreating";
    public static final String IMAGE_PULL_BACKOFF = "ImagePullBackOff";

    public record Entry(int failures, Instant retryAt, String reason, String message) {}

    /** What to do about one image now: pull it, or wait with a reason and message to show. */
    public record Decision(boolean pull, String reason, String message) {}

    public static final PullBackoff EMPTY = new PullBackoff(Map.of());

    public PullBackoff {
        entries = Map.copyOf(entries);
    }

    /** {@code key} is e.g. pod uid + "/" + image reference. */
    public Decision decide(String key, String image, Instant now) {
        Entry e = entries.get(key);
        if (e == null || !now.isBefore(e.retryAt())) return new Decision(true, CONTAINER_CREATING, "pulling image \"" + image + "\"");
        return new Decision(false, IMAGE_PULL_BACKOFF, "Back-off pulling image \"" + image + "\": " + e.reason() + ": " + e.message());
    }

    /** After a failed pull: the waiting reason to show now is the failure's own (ErrImagePull ...). */
    public PullBackoff failed(String key, Instant now, String reason, String message) {
        Entry old = entries.get(key);
        int failures = old == null ? 1 : old.failures() + 1;
        Duration wait = INITIAL.multipliedBy(1L << Math.min(failures - 1, 20));
        if (wait.compareTo(MAX) > 0) wait = MAX;
        Map<String, Entry> next = new HashMap<>(entries);
        next.put(key, new Entry(failures, now.plus(wait), reason, message));
        return new PullBackoff(next);
    }

    public PullBackoff succeeded(String key) {
        if (!entries.containsKey(key)) return this;
        Map<String, Entry> next = new HashMap<>(entries);
        next.remove(key);
        return new PullBackoff(next);
    }
}
