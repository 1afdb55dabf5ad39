package dev.berth.proxy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Finds where each HTTP/1.x response starts on the endpoint-to-client byte stream, so that
 * {@link RequestTimes} can pair it with its request: reads each response head line by line (only
 * the status line and the framing headers are looked at; other lines are cut at {@link #KEEP}
 * bytes), then skips the body by Content-Length or chunked framing, or none for a HEAD, 1xx, 204
 * or 304 (RFC 9112 6.3). A response's time is its first byte's; an interim 1xx (100 Continue)
 * does not answer the request, the final response does. On what it does not follow (a body
 * delimited by the connection's close, 101 Switching Protocols, a malformed head) it stops timing
 * the connection. Pure: the arrival time of each buffer is handed in.
 */
final class HttpResponseFramer {
    /** Bytes kept of a head line: enough for the status line and Content-Length or Transfer-Encoding. */
    static final int KEEP = 256;
    static final int MAX_HEAD = HttpRequestCounter.MAX_HEAD;

    private enum State { START, HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, STOPPED }

    private final RequestTimes times;
    private final LongConsumer durations;
    private State state = State.START;
    private final byte[] line = new byte[KEEP];
    private int lineLength;
    private boolean lineCut;
    private int headBytes;
    private boolean sawStatusLine;
    private int status;
    private boolean bodyless;
    private boolean chunked;
    private long contentLength = -1;
    private long remaining;
    private long firstByteNanos;

    /** Pairs responses with the requests in {@code times}; each duration (nanoseconds) goes to {@code durations}. */
    HttpResponseFramer(RequestTimes times, LongConsumer durations) {
        this.times = times;
        this.durations = durations;
    }

    /** The next bytes from the endpoint, arrived at {@code nanos}. */
    void feed(Buffer data, long nanos) {
        int length = data.length();
        int i = 0;
        while (i < length && state != State.STOPPED) {
            if (times.stopped()) {
                state = State.STOPPED;
                return;
            }
            switch (state) {
                case BODY, CHUNK_DATA -> {
                    int skip = (int) Math.min(remaining, length - i);
                    i += skip;
                    remaining -= skip;
                    if (remaining == 0) state = state == State.BODY ? State.START : State.CHUNK_DATA_END;
                }
                case START -> {
                    byte b = data.getByte(i);
                    if (b == '\r' || b == '\n') {
                        i++; // tolerated between responses
                    } else {
                        firstByteNanos = nanos;
                        nextHead();
                        state = State.HEAD;
                    }
                }
                default -> {
                    // A line's bytes in a tight loop: the per-byte cost is most of what timing adds.
                    int stop = state == State.HEAD ? Math.min(length, i + MAX_HEAD + 1 - headBytes) : length;
                    int from = i;
                    byte b = 0;
                    while (i < stop && (b = data.getByte(i++)) != '\n') {
                        if (lineLength < KEEP) line[lineLength++] = b;
                        else lineCut = true;
                    }
                    if (state == State.HEAD && (headBytes += i - from) > MAX_HEAD) {
                        stop();
                    } else if (b == '\n') {
                        int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                        boolean cut = lineCut;
                        lineLength = 0;
                        lineCut = false;
                        onLine(end, cut);
                    }
                }
            }
        }
    }

    private void onLine(int end, boolean cut) {
        switch (state) {
            case HEAD -> onHeadLine(end, cut);
            case CHUNK_SIZE -> {
                String text = text(end);
                int semi = text.indexOf(';');
                String hex = (semi < 0 ? text : text.substring(0, semi)).trim();
                if (cut || hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    stop();
                    return;
                }
                remaining = Long.parseLong(hex, 16);
                state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
            }
            case CHUNK_DATA_END -> {
                if (end != 0) stop();
                else state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (end == 0) state = State.START;
            }
            default -> { }
        }
    }

    private void onHeadLine(int end, boolean cut) {
        if (!sawStatusLine) {
            // "HTTP/1.1 200 OK": version, a space, three digits, then a space or the end; read in place
            if (cut || end < 12 || !startsWith(STATUS_PREFIX, 0) || line[8] != ' '
                    || !digit(line[9]) || !digit(line[10]) || !digit(line[11]) || (end > 12 && line[12] != ' ')) {
                stop();
                return;
            }
            sawStatusLine = true;
            status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
            if (status >= 100 && status < 200 && status != 101) {
                bodyless = true; // interim: the final response answers the request
                return;
            }
            bodyless = times.oldestIsHead() || status == 204 || status == 304;
            long nanos = times.responseStarted(firstByteNanos);
            if (nanos == RequestTimes.NONE) {
                stop();
                return;
            }
            durations.accept(nanos);
            if (status == 101) stop(); // the connection is another protocol from here on
            return;
        }
        if (end > 0) {
            boolean length = startsWithName(CONTENT_LENGTH, end);
            if (!length && !startsWithName(TRANSFER_ENCODING, end)) return; // most lines: no allocation, no parsing
            if (cut) {
                stop();
                return;
            }
            int from = valueStart(length ? CONTENT_LENGTH : TRANSFER_ENCODING);
            if (length) {
                contentLength = digits(from, end);
                if (contentLength < 0) stop();
            } else {
                chunked = new String(line, from, end - from, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT).endsWith("chunked");
                if (!chunked) stop(); // another coding without chunked: delimited by the close
            }
            return;
        }
        // End of the head.
        if (bodyless) {
            state = State.START;
        } else if (chunked) {
            state = State.CHUNK_SIZE;
        } else if (contentLength > 0) {
            remaining = contentLength;
            state = State.BODY;
        } else if (contentLength == 0) {
            state = State.START;
        } else {
            stop(); // the body runs until the connection closes: no response follows it
        }
    }

    private static final byte[] STATUS_PREFIX = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);

    private boolean startsWith(byte[] prefix, int at) {
        for (int i = 0; i < prefix.length; i++) if (line[at + i] != prefix[i]) return false;
        return true;
    }

    /** Whether the line is the header {@code lowerName} (any case, optional whitespace before the colon). */
    private boolean startsWithName(byte[] lowerName, int end) {
        if (end <= lowerName.length) return false;
        for (int i = 0; i < lowerName.length; i++) {
            byte b = line[i];
            if (b >= 'A' && b <= 'Z') b += 'a' - 'A';
            if (b != lowerName[i]) return false;
        }
        for (int i = lowerName.length; i < end; i++) {
            if (line[i] == ':') return true;
            if (line[i] != ' ' && line[i] != '\t') return false;
        }
        return false;
    }

    /** Where the header's value starts: after the colon ({@link #startsWithName} found one). */
    private int valueStart(byte[] name) {
        int i = name.length;
        while (line[i] != ':') i++;
        return i + 1;
    }

    /** The decimal number in line[from, end) between optional whitespace; -1 when there is none or it is too long. */
    private long digits(int from, int end) {
        while (from < end && (line[from] == ' ' || line[from] == '\t')) from++;
        while (end > from && (line[end - 1] == ' ' || line[end - 1] == '\t')) end--;
        if (from == end || end - from > 18) return -1;
        long n = 0;
        for (int i = from; i < end; i++) {
            if (!digit(line[i])) return -1;
            n = n * 10 + (line[i] - '0');
        }
        return n;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private String text(int end) {
        return new String(line, 0, end, StandardCharsets.ISO_8859_1);
    }

    private void nextHead() {
        lineLength = 0;
        lineCut = false;
        headBytes = 0;
        sawStatusLine = false;
        status = 0;
        bodyless = false;
        chunked = false;
        contentLength = -1;
    }

    private void stop() {
        state = State.STOPPED;
        times.stop();
    }
}
