package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request timing over byte streams as the proxy sees them: requests from the client, responses from the endpoint, each buffer at a time. */
class HttpTimingTest {
    static final String GET = "GET / HTTP/1.1\r\nHost: web\r\n\r\n";
    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    final List<Long> durations = new ArrayList<>();
    final HttpTiming timing = new HttpTiming(durations::add);

    void client(String bytes, long nanos) {
        timing.fromClient(Buffer.buffer(bytes), nanos);
    }

    void endpoint(String bytes, long nanos) {
        timing.fromEndpoint(Buffer.buffer(bytes), nanos);
    }

    @Test
    void oneRequestFromItsFirstByteToItsResponsesFirstByte() {
        client("GET / HT", 100);
        client("TP/1.1\r\nHost: web\r\n\r\n", 150);
        endpoint("HTTP/1.1 2", 400);
        endpoint("00 OK\r\nContent-Length: 5\r\n\r\nhel", 450);
        endpoint("lo", 500);
        assertThat(durations).containsExactly(300L);
        assertThat(timing.waiting()).isZero();
        assertThat(timing.timing()).isTrue();
    }

    @Test
    void keepAlive() {
        for (int i = 0; i < 10; i++) {
            client(GET, i * 1000L);
            endpoint(OK, i * 1000L + 10 * i);
        }
        assertThat(durations).containsExactly(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
    }

    @Test
    void pipelinedRequestsInOneBufferAndTheirResponsesInOne() {
        client(GET + "POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc" + GET, 0);
        endpoint(OK + OK, 50);
        endpoint(OK, 80);
        assertThat(durations).containsExactly(50L, 50L, 80L);
    }

    @Test
    void aResponseSplitIntoManyBuffersIsOneResponse() {
        client(GET + GET, 0);
        String big = "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + "x".repeat(10_000);
        for (int i = 0; i < big.length(); i += 1000) endpoint(big.substring(i, Math.min(big.length(), i + 1000)), 10 + i);
        endpoint(OK, 20_000);
        assertThat(durations).containsExactly(10L, 20_000L);
    }

    @Test
    void chunkedResponses() {
        client(GET + GET, 0);
        endpoint("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHTTP/\r\n3;x=1\r\n1.1\r\n0\r\nX-T: 1\r\n\r\n", 7);
        endpoint(OK, 9);
        assertThat(durations).containsExactly(7L, 9L);
    }

    @Test
    void aHeadResponseHasNoBodyWhateverItsContentLength() {
        client("HEAD / HTTP/1.1\r\n\r\n" + GET, 0);
        endpoint("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 3);
        endpoint(OK, 4);
        assertThat(durations).containsExactly(3L, 4L);
        assertThat(timing.timing()).isTrue();
    }

    @Test
    void noContentAndNotModifiedHaveNoBody() {
        client(GET + GET + GET, 0);
        endpoint("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n" + OK, 2);
        assertThat(durations).containsExactly(2L, 2L, 2L);
    }

    @Test
    void anInterimResponseIsNotTheAnswer() {
        client("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", 0);
        endpoint("HTTP/1.1 100 Continue\r\n\r\n", 5);
        client("ok", 6);
        endpoint(OK, 40);
        assertThat(durations).containsExactly(40L);
    }

    @Test
    void aResponseBeforeAnyRequestStopsTiming() {
        endpoint("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0);
        client(GET, 10);
        endpoint(OK, 20);
        assertThat(durations).isEmpty();
        assertThat(timing.timing()).isFalse();
    }

    @Test
    void aClientThatPipelinesPastTheCapIsNoLongerTimed() {
        client(GET.repeat(RequestTimes.MAX_PENDING + 1), 0);
        endpoint(OK.repeat(RequestTimes.MAX_PENDING + 1), 10);
        assertThat(durations).isEmpty();
        assertThat(timing.timing()).isFalse();
        assertThat(timing.counter().requests()).as("still counted").isEqualTo(RequestTimes.MAX_PENDING + 1);
    }

    @Test
    void aConnectionClosedMidRequestRecordsOnlyWhatWasAnswered() {
        client(GET, 0);
        endpoint(OK, 5);
        client(GET, 10);
        assertThat(timing.waiting()).isEqualTo(1);
        // the connection closes here: nothing else arrives, nothing more is recorded
        assertThat(durations).containsExactly(5L);
    }

    @Test
    void aConnectionClosedMidResponseHasItsTime() {
        client(GET, 0);
        endpoint("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial", 8);
        assertThat(durations).containsExactly(8L);
    }

    @Test
    void nonHttpIsNotTimed() {
        client("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003 TLS hello\r\n", 0);
        endpoint("HTTP/1.1 200 OK\r\n\r\n", 5);
        assertThat(durations).isEmpty();
        assertThat(timing.timing()).isFalse();
    }

    @Test
    void http2IsNotTimed() {
        client("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 0);
        endpoint("\u0000\u0000\u0012\u0004\u0000\u0000\u0000\u0000\u0000", 5);
        assertThat(durations).isEmpty();
        assertThat(timing.timing()).isFalse();
    }

    @Test
    void anUpgradeStopsTiming() {
        client("GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", 0);
        endpoint("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi", 5);
        client(GET, 10);
        endpoint(OK, 20);
        assertThat(durations).isEmpty();
        assertThat(timing.timing()).isFalse();
    }

    @Test
    void aBodyDelimitedByTheCloseEndsTiming() {
        client(GET + GET, 0);
        endpoint("HTTP/1.0 200 OK\r\n\r\nHTTP/1.1 200 OK\r\n", 4);
        assertThat(durations).as("the first is timed; what follows is its body").containsExactly(4L);
        assertThat(timing.timing()).isFalse();
    }

    @Test
    void aMalformedStatusLineStopsTiming() {
        client(GET, 0);
        endpoint("HTTP/1.1 2x0 OK\r\n\r\n", 4);
        assertThat(durations).isEmpty();
        assertThat(timing.timing()).isFalse();
    }

    @Test
    void longHeaderLinesAreCutNotRefused() {
        client(GET + GET, 0);
        endpoint("HTTP/1.1 200 OK\r\nSet-Cookie: " + "a".repeat(5000) + "\r\nContent-Length: 2\r\n\r\nok" + OK, 3);
        assertThat(durations).containsExactly(3L, 3L);
    }

    @Test
    void aResponseHeadPastTheLimitStopsTiming() {
        client(GET, 0);
        endpoint("HTTP/1.1 200 OK\r\n" + ("X-Pad: " + "p".repeat(1000) + "\r\n").repeat(70), 3);
        assertThat(durations).containsExactly(3L);
        assertThat(timing.timing()).isFalse();
    }

    @Test
    void everyByteSplitStillPairsRight() {
        String requests = GET + "HEAD / HTTP/1.1\r\n\r\n" + GET;
        String responses = OK + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n";
        for (int i = 0; i < requests.length(); i++) client(requests.substring(i, i + 1), i);
        for (int i = 0; i < responses.length(); i++) endpoint(responses.substring(i, i + 1), 1000 + i);
        int second = OK.length();
        int third = second + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n".length();
        assertThat(durations).containsExactly(1000L, 1000L + second - GET.length(), 1000L + third - GET.length() - "HEAD / HTTP/1.1\r\n\r\n".length());
    }
}
