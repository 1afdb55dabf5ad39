package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HttpRequestCounterTest {
    static final String GET = "GET / HTTP/1.1\r\nHost: web\r\n\r\n";
    static final String POST = "POST /items HTTP/1.1\r\nHost: web\r\nContent-Length: 27\r\n\r\n" + "GET /not-a-request HTTP/1.1";
    static final String CHUNKED = "POST /up HTTP/1.1\r\nHost: web\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n1A\r\nGET / HTTP/1.1\r\n\r\nxxxxxxxx\r\n0\r\nX-Trailer: t\r\n\r\n";
    /** A mix: pipelined GET, a body that looks like a request, a chunked upload with trailers, a final GET. */
    static final String STREAM = GET + POST + CHUNKED + "\r\n" + GET;

    static long count(String... pieces) {
        HttpRequestCounter c = new HttpRequestCounter();
        long n = 0;
        for (String p : pieces) {
            n += c.feed(Buffer.buffer(p));
        }
        assertThat(c.requests()).isEqualTo(n);
        return n;
    }

    @Test
    void oneGet() {
        assertThat(count(GET)).isEqualTo(1);
    }

    @Test
    void pipelinedGets() {
        assertThat(count(GET.repeat(50))).isEqualTo(50);
    }

    @Test
    void aBodyIsSkippedNotScanned() {
        assertThat(count(POST, GET)).isEqualTo(2);
    }

    @Test
    void chunkedBodiesAndTrailersAreSkipped() {
        assertThat(count(CHUNKED, GET)).isEqualTo(2);
    }

    @Test
    void bareLfLineEndingsAreAccepted() {
        assertThat(count("GET / HTTP/1.0\nHost: a\n\nGET / HTTP/1.0\n\n")).isEqualTo(2);
    }

    @Test
    void emptyLinesBeforeARequestAreIgnored() {
        assertThat(count("\r\n\r\n" + GET)).isEqualTo(1);
    }

    @Test
    void aHeadCountsWhenItEndsNotWhenItStarts() {
        HttpRequestCounter c = new HttpRequestCounter();
        assertThat(c.feed(Buffer.buffer("GET / HTTP/1.1\r\nHost: a\r\n"))).isZero();
        assertThat(c.feed(Buffer.buffer("\r\n"))).isEqualTo(1);
    }

    static Stream<Integer> splits() {
        return IntStream.range(1, STREAM.length()).boxed();
    }

    @ParameterizedTest(name = "split at {0}")
    @MethodSource("splits")
    void anySplitOfTheStreamCountsTheSame(int at) {
        assertThat(count(STREAM.substring(0, at), STREAM.substring(at))).isEqualTo(4);
    }

    @Test
    void byteByByte() {
        assertThat(count(STREAM.split(""))).isEqualTo(4);
    }

    @Test
    void upgradeStopsCountingAfterThatRequest() {
        HttpRequestCounter c = new HttpRequestCounter();
        String ws = "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n";
        assertThat(c.feed(Buffer.buffer(ws + GET))).isEqualTo(1);
        assertThat(c.stopReason()).isEqualTo("protocol upgrade");
        assertThat(c.feed(Buffer.buffer(GET))).isZero();
    }

    @Test
    void connectStops() {
        HttpRequestCounter c = new HttpRequestCounter();
        assertThat(c.feed(Buffer.buffer("CONNECT db:5432 HTTP/1.1\r\n\r\n" + GET))).isEqualTo(1);
        assertThat(c.stopReason()).isEqualTo("protocol upgrade");
    }

    @Test
    void notHttpStopsAtOnce() {
        HttpRequestCounter c = new HttpRequestCounter();
        assertThat(c.feed(Buffer.buffer("\u0016\u0003\u0001 TLS hello\n" + GET))).isZero();
        assertThat(c.stopReason()).isEqualTo("not an HTTP/1 request line");
    }

    @Test
    void http2PrefaceIsNotHttp1() {
        HttpRequestCounter c = new HttpRequestCounter();
        assertThat(c.feed(Buffer.buffer("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))).isZero();
        assertThat(c.stopReason()).isNotNull();
    }

    @Test
    void aHugeHeadStops() {
        HttpRequestCounter c = new HttpRequestCounter();
        String header = "X-Big: " + "a".repeat(4000) + "\r\n";
        assertThat(c.feed(Buffer.buffer("GET / HTTP/1.1\r\n" + header.repeat(20) + "\r\n"))).isZero();
        assertThat(c.stopReason()).startsWith("request head larger than");
    }

    @Test
    void aHugeLineStops() {
        HttpRequestCounter c = new HttpRequestCounter();
        assertThat(c.feed(Buffer.buffer("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n\r\n"))).isZero();
        assertThat(c.stopReason()).startsWith("line longer than");
    }

    @Test
    void badContentLengthStops() {
        HttpRequestCounter c = new HttpRequestCounter();
        assertThat(c.feed(Buffer.buffer("POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n" + GET))).isZero();
        assertThat(c.stopReason()).isEqualTo("bad Content-Length");
    }

    @Test
    void badChunkSizeStops() {
        HttpRequestCounter c = new HttpRequestCounter();
        c.feed(Buffer.buffer("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        assertThat(c.stopReason()).startsWith("bad chunk size");
    }

    @Test
    void chunkWithoutCrlfStops() {
        HttpRequestCounter c = new HttpRequestCounter();
        c.feed(Buffer.buffer("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n"));
        assertThat(c.stopReason()).isEqualTo("chunk data not followed by CRLF");
    }

    @Test
    void malformedHeaderStops() {
        HttpRequestCounter c = new HttpRequestCounter();
        assertThat(c.feed(Buffer.buffer("GET / HTTP/1.1\r\nno colon here\r\n\r\n"))).isZero();
        assertThat(c.stopReason()).isEqualTo("malformed header line");
    }

    @Test
    void headerNamesAreCaseInsensitive() {
        assertThat(count("POST / HTTP/1.1\r\ncontent-LENGTH: 4\r\n\r\nGET " + GET)).isEqualTo(2);
    }

    @Test
    void aLargeBodyIsSkippedWithoutLooking() {
        String body = "x".repeat(1_000_000);
        assertThat(count("PUT /blob HTTP/1.1\r\nContent-Length: " + body.length() + "\r\n\r\n", body.substring(0, 500_000),
                body.substring(500_000), GET)).isEqualTo(2);
    }
}
