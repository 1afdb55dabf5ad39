package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestTimesTest {
    final RequestTimes times = new RequestTimes();

    @Test
    void oneRequestIsTimedToItsResponse() {
        times.requestStarted(1_000);
        assertThat(times.responseStarted(5_000)).isEqualTo(4_000);
        assertThat(times.waiting()).isZero();
    }

    @Test
    void keepAliveRequestsAreTimedOneAfterAnother() {
        times.requestStarted(0);
        assertThat(times.responseStarted(10)).isEqualTo(10);
        times.requestStarted(100);
        assertThat(times.responseStarted(130)).isEqualTo(30);
        times.requestStarted(1_000);
        assertThat(times.responseStarted(1_001)).isEqualTo(1);
        assertThat(times.stopped()).isFalse();
    }

    @Test
    void pipelinedRequestsAreAnsweredOldestFirst() {
        times.requestStarted(0);
        times.requestStarted(5);
        times.requestStarted(7);
        assertThat(times.waiting()).isEqualTo(3);
        assertThat(times.responseStarted(20)).isEqualTo(20);
        assertThat(times.responseStarted(25)).isEqualTo(20);
        assertThat(times.responseStarted(27)).isEqualTo(20);
        assertThat(times.waiting()).isZero();
    }

    @Test
    void theRingWrapsAroundManyTimes() {
        for (int i = 0; i < 10 * RequestTimes.MAX_PENDING; i++) {
            times.requestStarted(i * 10L);
            times.requestStarted(i * 10L + 1);
            assertThat(times.responseStarted(i * 10L + 3)).isEqualTo(3);
            assertThat(times.responseStarted(i * 10L + 4)).isEqualTo(3);
        }
        assertThat(times.stopped()).isFalse();
    }

    @Test
    void aResponseBeforeAnyRequestStopsTiming() {
        assertThat(times.responseStarted(10)).isEqualTo(RequestTimes.NONE);
        assertThat(times.stopped()).isTrue();
        times.requestStarted(20);
        assertThat(times.responseStarted(30)).as("the pairing is lost for good").isEqualTo(RequestTimes.NONE);
    }

    @Test
    void moreResponsesThanRequestsStopTiming() {
        times.requestStarted(0);
        assertThat(times.responseStarted(1)).isEqualTo(1);
        assertThat(times.responseStarted(2)).isEqualTo(RequestTimes.NONE);
        assertThat(times.stopped()).isTrue();
    }

    @Test
    void upToTheCapIsTimed() {
        for (int i = 0; i < RequestTimes.MAX_PENDING; i++) times.requestStarted(i);
        assertThat(times.stopped()).isFalse();
        assertThat(times.waiting()).isEqualTo(RequestTimes.MAX_PENDING);
        for (int i = 0; i < RequestTimes.MAX_PENDING; i++) assertThat(times.responseStarted(100 + i)).isEqualTo(100);
    }

    @Test
    void oneMoreThanTheCapStopsTimingAndHoldsNothing() {
        for (int i = 0; i <= RequestTimes.MAX_PENDING; i++) times.requestStarted(i);
        assertThat(times.stopped()).isTrue();
        assertThat(times.waiting()).isZero();
        assertThat(times.responseStarted(1_000)).isEqualTo(RequestTimes.NONE);
    }

    @Test
    void aConnectionClosedMidRequestLeavesItUntimed() {
        times.requestStarted(0);
        assertThat(times.responseStarted(3)).isEqualTo(3);
        times.requestStarted(10);
        times.stop(); // closed before the response came
        assertThat(times.waiting()).isZero();
        assertThat(times.responseStarted(50)).isEqualTo(RequestTimes.NONE);
    }

    @Test
    void headIsRememberedForItsOwnRequestOnly() {
        times.requestStarted(0);
        times.requestStarted(1);
        times.newestIsHead();
        times.requestStarted(2);
        assertThat(times.oldestIsHead()).isFalse();
        times.responseStarted(5);
        assertThat(times.oldestIsHead()).isTrue();
        times.responseStarted(6);
        assertThat(times.oldestIsHead()).isFalse();
    }

    @Test
    void aSlotReusedAfterAHeadIsNotAHead() {
        for (int i = 0; i < RequestTimes.MAX_PENDING; i++) {
            times.requestStarted(i);
            times.newestIsHead();
            times.responseStarted(i);
        }
        times.requestStarted(0);
        assertThat(times.oldestIsHead()).isFalse();
    }

    @Test
    void aDurationIsNeverNegative() {
        times.requestStarted(100);
        assertThat(times.responseStarted(50)).isZero();
    }
}
