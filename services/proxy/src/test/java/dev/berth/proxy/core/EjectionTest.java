package dev.berth.proxy.core;

import static dev.berth.proxy.core.Fixtures.readyEndpoints;
import static dev.berth.proxy.core.Fixtures.web;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EjectionTest {
    static final EndpointAddress FIRST = new EndpointAddress("10.244.0.2", 8080);
    static final EndpointAddress SECOND = new EndpointAddress("10.244.0.3", 8080);

    @ParameterizedTest(name = "{0} failures -> {1} ms")
    @CsvSource({"0,0", "1,1000", "2,2000", "3,4000", "4,8000", "5,16000", "6,30000", "7,30000", "100,30000", "2147483647,30000"})
    void ejectionDoublesUpToThirtySeconds(int failures, long millis) {
        assertThat(Ejection.durationMillis(failures)).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 6})
    void ejectedUntilTheDurationHasPassed(int failures) {
        long d = Ejection.durationMillis(failures);
        assertThat(Ejection.ejected(failures, 10_000, 10_000)).isTrue();
        assertThat(Ejection.ejected(failures, 10_000, 10_000 + d - 1)).isTrue();
        assertThat(Ejection.ejected(failures, 10_000, 10_000 + d)).isFalse();
    }

    @Test
    void noFailuresNoEjection() {
        assertThat(Ejection.ejected(0, 0, 0)).isFalse();
    }

    @Test
    void ejectedEndpointsAreNotChosenWhileOthersAre() {
        ServiceEndpoints s = web(readyEndpoints(3));
        Random random = new Random(5);
        for (int i = 0; i < 300; i++) {
            Choice c = Balancer.choose(s, "http", Set.of(), Set.of(FIRST), Balancer.Load.NONE, random::nextInt);
            assertThat(((Choice.Chosen) c).address()).isNotEqualTo(FIRST);
        }
    }

    @Test
    void whenEverythingIsEjectedAnEjectedEndpointBeatsRefusing() {
        ServiceEndpoints s = web(readyEndpoints(2));
        Choice c = Balancer.choose(s, "http", Set.of(), Set.of(FIRST, SECOND), Balancer.Load.NONE, new Random(1)::nextInt);
        assertThat(c).isInstanceOf(Choice.Chosen.class);
        // But an endpoint that failed in this very attempt stays out.
        Choice other = Balancer.choose(s, "http", Set.of(FIRST), Set.of(FIRST, SECOND), Balancer.Load.NONE, new Random(1)::nextInt);
        assertThat(((Choice.Chosen) other).address()).isEqualTo(SECOND);
        Choice none = Balancer.choose(s, "http", Set.of(FIRST, SECOND), Set.of(FIRST, SECOND), Balancer.Load.NONE, new Random(1)::nextInt);
        assertThat(none).isInstanceOf(Choice.Refused.class);
    }

    @Test
    void ejectionDoesNotResurrectNotReadyEndpoints() {
        ServiceEndpoints s = web(java.util.List.of(Fixtures.ready("a", "10.244.0.2", 8080), Fixtures.notReady("b", "10.244.0.3", 8080)));
        for (int i = 0; i < 50; i++) {
            Choice c = Balancer.choose(s, "http", Set.of(), Set.of(FIRST), Balancer.Load.NONE, new Random(i)::nextInt);
            assertThat(((Choice.Chosen) c).address()).isEqualTo(FIRST);
        }
    }
}
