package dev.berth.node.core;

import static dev.berth.node.core.Fixtures.T0;
import static dev.berth.node.core.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.Probe;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kubelet's readiness rules on one container run, time as data. */
class ReadinessTest {

    /** httpGet every {@code period} s after {@code delay} s; {@code success}/{@code failure} thresholds. */
    static Probe probe(int delay, int period, int success, int failure) {
        return new Probe(new Probe.HttpGet("/", 80, null, null, null), null, null, delay, period, 0, success, failure);
    }

    /** Probes {@code pod} at {@code now} and records the outcome. */
    static Readiness probed(Readiness r, String pod, java.time.Instant now, boolean success) {
        assertThat(r.due(now)).contains(pod);
        return r.probing(pod, now).result(pod, r.pods().get(pod).restarts(), success);
    }

    @Test
    void notReadyFromTheStartAndNotProbedBeforeTheInitialDelay() {
        Readiness r = Readiness.NONE.started("web", probe(5, 10, 1, 3), 0, T0);
        assertThat(r.ready("web")).isFalse();
        assertThat(r.due(at(4))).isEmpty();
        assertThat(r.nextDue()).contains(at(5));
        assertThat(r.due(at(5))).containsExactly("web");
    }

    @Test
    void withoutAnInitialDelayTheFirstProbeIsDueAtOnce() {
        Readiness r = Readiness.NONE.started("web", probe(0, 10, 1, 3), 0, T0);
        assertThat(r.due(T0)).containsExactly("web");
    }

    @Test
    void aPodNeverProbedHasNoReadiness() {
        assertThat(Readiness.NONE.ready("web")).isNull();
        assertThat(Readiness.NONE.nextDue()).isEmpty();
        assertThat(Readiness.NONE.due(T0)).isEmpty();
    }

    @ParameterizedTest(name = "successThreshold {0}: ready after {0} successes")
    @CsvSource({"1", "2", "3", "5"})
    void readyAfterSuccessThresholdConsecutiveSuccesses(int threshold) {
        Readiness r = Readiness.NONE.started("web", probe(0, 1, threshold, 3), 0, T0);
        for (int i = 0; i < threshold; i++) {
            assertThat(r.ready("web")).as("after %d successes", i).isFalse();
            r = probed(r, "web", at(i), true);
        }
        assertThat(r.ready("web")).isTrue();
    }

    @Test
    void aFailureResetsTheSuccessesBeforeReady() {
        Readiness r = Readiness.NONE.started("web", probe(0, 1, 2, 3), 0, T0);
        r = probed(r, "web", at(0), true);
        r = probed(r, "web", at(1), false);
        r = probed(r, "web", at(2), true);
        assertThat(r.ready("web")).isFalse();
        r = probed(r, "web", at(3), true);
        assertThat(r.ready("web")).isTrue();
    }

    @ParameterizedTest(name = "failureThreshold {0}: not ready after {0} failures")
    @CsvSource({"1", "2", "3", "6"})
    void notReadyAfterFailureThresholdConsecutiveFailures(int threshold) {
        Readiness r = probed(Readiness.NONE.started("web", probe(0, 1, 1, threshold), 0, T0), "web", T0, true);
        for (int i = 1; i < threshold; i++) {
            r = probed(r, "web", at(i), false);
            assertThat(r.ready("web")).as("after %d failures", i).isTrue();
        }
        r = probed(r, "web", at(threshold), false);
        assertThat(r.ready("web")).isFalse();
    }

    @Test
    void aSuccessResetsTheFailures() {
        Readiness r = probed(Readiness.NONE.started("web", probe(0, 1, 1, 3), 0, T0), "web", T0, true);
        r = probed(r, "web", at(1), false);
        r = probed(r, "web", at(2), false);
        r = probed(r, "web", at(3), true);
        r = probed(r, "web", at(4), false);
        r = probed(r, "web", at(5), false);
        assertThat(r.ready("web")).isTrue();
        r = probed(r, "web", at(6), false);
        assertThat(r.ready("web")).isFalse();
    }

    @Test
    void aTimedOutProbeIsAFailureLikeAnyOther() {
        // the shell reports a timeout as success=false: three of them with the defaults turn a ready pod not ready
        Readiness r = probed(Readiness.NONE.started("web", probe(0, 10, 0, 0), 0, T0), "web", T0, true);
        for (int i = 1; i <= Probe.DEFAULT_FAILURE_THRESHOLD; i++) r = probed(r, "web", at(10L * i), false);
        assertThat(r.ready("web")).isFalse();
    }

    @Test
    void oneProbeAtATimeEachDueAPeriodAfterTheLastOneBegan() {
        Readiness r = Readiness.NONE.started("web", probe(0, 10, 1, 3), 0, T0).probing("web", T0);
        assertThat(r.due(at(30))).as("in flight").isEmpty();
        assertThat(r.nextDue()).as("an in-flight probe waits for its result").isEmpty();
        assertThat(r.probing("web", at(1))).as("probing twice changes nothing").isSameAs(r);
        r = r.result("web", 0, true);
        assertThat(r.nextDue()).contains(at(10));
        assertThat(r.due(at(9))).isEmpty();
        assertThat(r.due(at(10))).containsExactly("web");
    }

    @Test
    void staleResultsChangeNothing() {
        Readiness r = Readiness.NONE.started("web", probe(0, 10, 1, 3), 1, T0);
        assertThat(r.result("web", 1, true)).as("none in flight").isSameAs(r);
        Readiness probing = r.probing("web", T0);
        assertThat(probing.result("web", 0, true)).as("an earlier run's").isSameAs(probing);
        assertThat(probing.result("other", 1, true)).as("another pod's").isSameAs(probing);
    }

    @Test
    void aRestartStartsOverNotReady() {
        Readiness r = probed(Readiness.NONE.started("web", probe(3, 10, 1, 3), 0, T0), "web", at(3), true);
        assertThat(r.ready("web")).isTrue();
        Readiness again = r.started("web", r.pods().get("web").probe(), 1, at(60));
        assertThat(again.ready("web")).isFalse();
        assertThat(again.nextDue()).contains(at(63));
        assertThat(again.pods().get("web").successes()).isZero();
    }

    @Test
    void stoppedForgetsThePod() {
        Readiness r = Readiness.NONE.started("a", probe(0, 10, 1, 3), 0, T0).started("b", probe(2, 10, 1, 3), 0, T0);
        assertThat(r.due(at(5))).containsExactly("a", "b");
        Readiness left = r.stopped("a");
        assertThat(left.ready("a")).isNull();
        assertThat(left.pods().keySet()).containsExactly("b");
        assertThat(left.nextDue()).contains(at(2));
        assertThat(left.stopped("a")).isSameAs(left);
    }

    @Test
    void theProbesDefaultsAreKubernetes() {
        Probe p = Probe.http("/", 80, 0, 0);
        assertThat(List.of(p.periodSeconds(), p.timeoutSeconds(), p.successThreshold(), p.failureThreshold())).containsExactly(10, 1, 1, 3);
    }
}
