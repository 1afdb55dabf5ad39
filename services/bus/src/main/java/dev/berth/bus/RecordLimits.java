package dev.berth.bus;

import java.util.EnumMap;
import java.util.Map;

/**
 * The size door of every topic a {@link ServiceLoop} reads: a record larger than its topic's limit is
 * never decoded, only set aside (and, for a command, answered with a short rejection).
 * Commands come from outside and are small documents; internal records are bounded well above
 * anything a Berth service writes (a heartbeat of a node with hundreds of pods, a scheduling step
 * recording a few thousand decisions) and below the broker's 1 MiB default.
 */
public final class RecordLimits {
    public static final int COMMAND_BYTES = 64 * 1024;
    public static final int INTERNAL_BYTES = 1024 * 1024;
    /** An encoded output larger than this is not published (a bug in a core): a dead letter says so instead. */
    public static final int OUTPUT_BYTES = 900 * 1024;

    private final Map<Topic, Integer> limits;

    private RecordLimits(Map<Topic, Integer> limits) { this.limits = limits; }

    public static RecordLimits defaults() {
        Map<Topic, Integer> m = new EnumMap<>(Topic.class);
        for (Topic t : Topic.values()) m.put(t, t == Topic.COMMANDS ? COMMAND_BYTES : INTERNAL_BYTES);
        return new RecordLimits(m);
    }

    /** These limits with {@code topic}'s set to {@code bytes}. */
    public RecordLimits with(Topic topic, int bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("a record limit must be positive: " + bytes);
        Map<Topic, Integer> m = new EnumMap<>(limits);
        m.put(topic, bytes);
        return new RecordLimits(m);
    }

    public int maxBytes(Topic topic) { return limits.get(topic); }
}
