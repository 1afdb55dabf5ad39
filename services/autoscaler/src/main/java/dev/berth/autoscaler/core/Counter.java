package dev.berth.autoscaler.core;

import java.time.Instant;

/**
 * One node proxy's request counter for one pod behind one Service: the last value and when, and the rate between
 * the last two reports (null after the first report, or after a counter went down: the proxy restarted).
 */
public record Counter(Instant at, long requests, Double perSecond) {
    /** The counter after a report of {@code total} at {@code now}; an older or repeated report changes nothing. */
    public Counter next(Instant now, long total) {
        if (!now.isAfter(at)) return this;
        if (total < requests) return new Counter(now, total, null);
        double seconds = (now.toEpochMilli() - at.toEpochMilli()) / 1000.0;
        return new Counter(now, total, (total - requests) / seconds);
    }
}
