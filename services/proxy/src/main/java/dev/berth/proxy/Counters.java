package dev.berth.proxy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Live counters, written from every event loop of the proxy; adders so that writers do not contend. */
final class Counters {
    final AtomicLong active = new AtomicLong();
    final LongAdder total = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder refused = new LongAdder();
    /** Connect failures since the last successful connect, and when the last one happened (for ejection). */
    volatile int consecutiveFailures;
    volatile long lastFailureMillis;

    CounterSnapshot snapshot() {
        return new CounterSnapshot(total.sum(), active.get(), bytesIn.sum(), bytesOut.sum(),
                requests.sum(), connectFailures.sum(), refused.sum());
    }
}
