package dev.berth.proxy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Counts HTTP/1.x requests on the client-to-server byte stream without buffering it: reads each
 * request head line by line (bounded), then skips the body by its Content-Length or its chunked
 * framing. The bytes are forwarded untouched whatever it finds; on anything it does not follow
 * (a head too large, a malformed framing, CONNECT, an Upgrade) it stops counting for the rest of
 * the connection. Hand-written rather than vertx-http-proxy because the proxy stays a byte pipe:
 * no parsing and re-encoding of messages, no change to keep-alive or hop-by-hop headers.
 */
public final class HttpRequestCounter {
    /** Kubernetes' and most servers' default limit for one header line. */
    static final int MAX_LINE = 8 * 1024;
    /** Total request head, like Go's http.DefaultMaxHeaderBytes. */
    static final int MAX_HEAD = 64 * 1024;

    private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, STOPPED }

    /** What request timing ({@link HttpTiming}) needs to know of the stream, as it is read. */
    interface Events {
        /** The first byte of a request (not of the empty lines allowed before one). */
        void requestStarted();

        /** The request just started is a HEAD: its response has no body whatever its headers say. */
        void headRequest();

        /** Counting stopped: the stream is not (or no longer) followed as HTTP/1. */
        void stopped();

        Events NONE = new Events() {
            @Override public void requestStarted() { }
            @Override public void headRequest() { }
            @Override public void stopped() { }
        };
    }

    private final Events events;

    private State state = State.HEAD;
    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private boolean lineOverflow;
    private int headBytes;
    private boolean sawRequestLine;
    private boolean started;
    private long contentLength;
    private boolean chunked;
    private boolean upgrade;
    private long remaining;
    private long requests;
    private String stopReason;

    public HttpRequestCounter() {
        this(Events.NONE);
    }

    HttpRequestCounter(Events events) {
        this.events = events;
    }

    /** Feeds the next bytes of the stream; returns how many request heads were completed in them. */
    public int feed(Buffer data) {
        int completed = 0;
        int length = data.length();
        int i = 0;
        while (i < length && state != State.STOPPED) {
            switch (state) {
                case BODY, CHUNK_DATA -> {
                    int skip = (int) Math.min(remaining, length - i);
                    i += skip;
                    remaining -= skip;
                    if (remaining == 0) {
                        state = state == State.BODY ? State.HEAD : State.CHUNK_DATA_END;
                    }
                }
                default -> {
                    byte b = data.getByte(i++);
                    if (!started && state == State.HEAD && b != '\r' && b != '\n') {
                        started = true;
                        events.requestStarted();
                    }
                    if (b != '\n') {
                        if (lineLength < MAX_LINE) {
                            line[lineLength++] = b;
                        } else {
                            lineOverflow = true;
                        }
                        if (state == State.HEAD && ++headBytes > MAX_HEAD) {
                            stop("request head larger than " + MAX_HEAD + " bytes");
                        }
                        continue;
                    }
                    if (lineOverflow) {
                        stop("line longer than " + MAX_LINE + " bytes");
                        continue;
                    }
                    int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                    String text = new String(line, 0, end, StandardCharsets.ISO_8859_1);
                    lineLength = 0;
                    if (onLine(text)) {
                        completed++;
                    }
                }
            }
        }
        requests += completed;
        return completed;
    }

    /** Handles one line; true when it completed a request head. */
    private boolean onLine(String text) {
        switch (state) {
            case HEAD -> {
                return onHeadLine(text);
            }
            case CHUNK_SIZE -> {
                int semi = text.indexOf(';');
                String hex = (semi < 0 ? text : text.substring(0, semi)).trim();
                if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                    stop("bad chunk size \"" + text + "\"");
                    return false;
                }
                remaining = Long.parseLong(hex, 16);
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                return false;
            }
            case CHUNK_DATA_END -> {
                if (!text.isEmpty()) {
                    stop("chunk data not followed by CRLF");
                } else {
                    state = State.CHUNK_SIZE;
                }
                return false;
            }
            case TRAILERS -> {
                if (text.isEmpty()) {
                    nextRequest();
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean onHeadLine(String text) {
        if (!sawRequestLine) {
            if (text.isEmpty()) {
                return false; // RFC 9112 2.2: ignore empty lines before the request line
            }
            String[] parts = text.split(" ", -1);
            if (parts.length != 3 || parts[0].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
                stop("not an HTTP/1 request line");
                return false;
            }
            sawRequestLine = true;
            if (parts[0].equals("HEAD")) {
                events.headRequest();
            }
            if (parts[0].equals("CONNECT")) {
                upgrade = true;
            }
            return false;
        }
        if (!text.isEmpty()) {
            int colon = text.indexOf(':');
            if (colon <= 0) {
                stop("malformed header line");
                return false;
            }
            String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> {
                    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        stop("bad Content-Length");
                        return false;
                    }
                    contentLength = Long.parseLong(value);
                }
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "upgrade" -> upgrade = true;
                default -> { }
            }
            return false;
        }
        // End of the head: a request is complete as far as counting goes; its body (if any) follows.
        boolean wasUpgrade = upgrade;
        boolean wasChunked = chunked;
        long length = contentLength;
        nextRequest();
        if (wasUpgrade) {
            stop("protocol upgrade");
        } else if (wasChunked) {
            state = State.CHUNK_SIZE;
        } else if (length > 0) {
            remaining = length;
            state = State.BODY;
        }
        return true;
    }

    private void nextRequest() {
        state = State.HEAD;
        sawRequestLine = false;
        started = false;
        headBytes = 0;
        contentLength = 0;
        chunked = false;
        upgrade = false;
    }

    private void stop(String reason) {
        state = State.STOPPED;
        stopReason = reason;
        events.stopped();
    }

    public long requests() {
        return requests;
    }

    /** Why counting stopped on this connection, or null while it still follows the stream. */
    public String stopReason() {
        return stopReason;
    }
}
