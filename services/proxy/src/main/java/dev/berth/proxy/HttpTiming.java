package dev.berth.proxy;

import io.vertx.core.buffer.Buffer;
import java.util.function.LongConsumer;

/**
 * Times one HTTP/1 connection's requests, from the first byte of a request arriving from the client to the first
 * byte of its response arriving from the endpoint: the request side is read by the connection's
 * {@link HttpRequestCounter} (which reports to this), the response side by an {@link HttpResponseFramer}. Time is
 * data: the caller hands in when each buffer arrived. When the counter stops following the stream (not HTTP/1,
 * an upgrade), timing stops too.
 */
final class HttpTiming implements HttpRequestCounter.Events {
    private final RequestTimes times = new RequestTimes();
    private final HttpResponseFramer responses;
    private final HttpRequestCounter requests = new HttpRequestCounter(this);
    private long clientNanos;

    /** Each request's duration, in nanoseconds, goes to {@code durations}. */
    HttpTiming(LongConsumer durations) {
        this.responses = new HttpResponseFramer(times, durations);
    }

    /** Bytes from the client, arrived at {@code nanos}; how many request heads they completed (for counting). */
    int fromClient(Buffer data, long nanos) {
        clientNanos = nanos;
        return requests.feed(data);
    }

    /** Bytes from the endpoint, arrived at {@code nanos}. */
    void fromEndpoint(Buffer data, long nanos) {
        if (!times.stopped()) responses.feed(data, nanos);
    }

    /** Whether requests on this connection are still timed. */
    boolean timing() {
        return !times.stopped();
    }

    /** Requests started and not answered yet. */
    int waiting() {
        return times.waiting();
    }

    HttpRequestCounter counter() {
        return requests;
    }

    @Override
    public void requestStarted() {
        times.requestStarted(clientNanos);
    }

    @Override
    public void headRequest() {
        times.newestIsHead();
    }

    @Override
    public void stopped() {
        times.stop();
    }
}
