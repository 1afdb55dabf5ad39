package dev.berth.node.runtime;

/**
 * How much output of one container is kept, like the kubelet's {@code containerLogMaxSize} and
 * {@code containerLogMaxFiles}: the live log is rotated once larger than {@code maxBytes}, and at most
 * {@code maxFiles} files are kept, the live one included.
 */
public record LogLimits(long maxBytes, int maxFiles) {
    /** The kubelet's defaults: 10 MiB, 5 files. */
    public static final LogLimits KUBELET_DEFAULTS = new LogLimits(10L << 20, 5);

    public LogLimits {
        if (maxBytes < 1) throw new IllegalArgumentException("containerLogMaxSize must be positive: " + maxBytes);
        if (maxFiles < 2) throw new IllegalArgumentException("containerLogMaxFiles must be at least 2: " + maxFiles);
    }
}
