package dev.berth.proxy;

/**
 * The start times of one connection's requests still waiting for their response, oldest first. HTTP/1 answers
 * the requests of a connection in order (keep-alive and pipelining alike), so the response that starts next
 * answers the oldest. Bounded: a client that pipelines more than {@link #MAX_PENDING} unanswered requests stops
 * being timed rather than making the proxy hold more; so does anything that breaks the pairing (a response with
 * no request waiting). Pure: times are nanoseconds handed in; not thread-safe (one event loop owns a connection).
 */
final class RequestTimes {
    static final int MAX_PENDING = 64;
    /** What {@link #responseStarted} returns when it yields no duration. */
    static final long NONE = -1;

    private final long[] starts = new long[MAX_PENDING];
    private final boolean[] head = new boolean[MAX_PENDING];
    private int oldest;
    private int size;
    private boolean stopped;

    /** A request's first byte arrived at {@code nanos}. */
    void requestStarted(long nanos) {
        if (stopped) return;
        if (size == MAX_PENDING) {
            stop();
            return;
        }
        int slot = (oldest + size++) % MAX_PENDING;
        starts[slot] = nanos;
        head[slot] = false;
    }

    /** The newest request is a HEAD, so its response has no body. */
    void newestIsHead() {
        if (!stopped && size > 0) head[(oldest + size - 1) % MAX_PENDING] = true;
    }

    /** Whether the response that starts next answers a HEAD. */
    boolean oldestIsHead() {
        return !stopped && size > 0 && head[oldest];
    }

    /**
     * A response's first byte arrived at {@code nanos}: the oldest waiting request's duration, never negative
     * (nanoTime is monotonic, but a test's times need not be). No request waiting: not request/response HTTP
     * as we read it, and timing stops.
     */
    long responseStarted(long nanos) {
        if (stopped) return NONE;
        if (size == 0) {
            stop();
            return NONE;
        }
        long start = starts[oldest];
        oldest = (oldest + 1) % MAX_PENDING;
        size--;
        return Math.max(0, nanos - start);
    }

    /** Stops timing this connection for good; requests still waiting are not timed. */
    void stop() {
        stopped = true;
        size = 0;
    }

    boolean stopped() {
        return stopped;
    }

    /** Requests waiting for their response. */
    int waiting() {
        return size;
    }
}
