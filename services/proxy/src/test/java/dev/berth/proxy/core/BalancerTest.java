package dev.berth.proxy.core;

import static dev.berth.proxy.core.Fixtures.notReady;
import static dev.berth.proxy.core.Fixtures.ready;
import static dev.berth.proxy.core.Fixtures.readyEndpoints;
import static dev.berth.proxy.core.Fixtures.web;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BalancerTest {

    /** Active connections per endpoint, as the shell's counters keep them, and totals for the assertions. */
    static final class Book implements Balancer.Load {
        final Map<EndpointAddress, Long> active = new HashMap<>();
        final Map<EndpointAddress, Long> total = new HashMap<>();

        @Override
        public long active(EndpointAddress e) {
            return active.getOrDefault(e, 0L);
        }

        long total(EndpointAddress e) {
            return total.getOrDefault(e, 0L);
        }

        void open(EndpointAddress e) {
            active.merge(e, 1L, Long::sum);
            total.merge(e, 1L, Long::sum);
        }

        void close(EndpointAddress e) {
            active.merge(e, -1L, Long::sum);
        }
    }

    static Stream<Arguments> sizesAndSeeds() {
        return IntStream.of(2, 3, 4, 7, 16).boxed()
                .flatMap(n -> IntStream.range(0, 10).mapToObj(seed -> Arguments.of(n, seed)));
    }

    static EndpointAddress chosen(Choice c) {
        assertThat(c).isInstanceOf(Choice.Chosen.class);
        return ((Choice.Chosen) c).address();
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void longLivedConnectionsSpreadEvenly(int n, int seed) {
        ServiceEndpoints s = web(readyEndpoints(n));
        Book book = new Book();
        Random random = new Random(seed);
        for (int i = 0; i < 30 * n; i++) {
            book.open(chosen(Balancer.choose(s, "http", Set.of(), book, random::nextInt)));
        }
        // With two choices the heaviest endpoint stays within about log2(ln n) + O(1) of the mean (Azar et
        // al.); one random choice would leave a gap of several times sqrt(30) here.
        long max = book.active.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long min = s.endpoints().stream().mapToLong(e -> book.active(new EndpointAddress(e.ip(), 8080))).min().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(5);
        assertThat(max).isLessThanOrEqualTo(30 + 3);
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void anEndpointAddedLateGetsItsShareNotAFlood(int n, int seed) {
        List<Endpoint> all = readyEndpoints(n);
        ServiceEndpoints old = web(all.subList(0, n - 1));
        Book book = new Book();
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            EndpointAddress e = chosen(Balancer.choose(old, "http", Set.of(), book, random::nextInt));
            book.open(e);
            book.close(e);
        }
        // A scale-up: the new pod has served nothing, the others 10,000 between them.
        ServiceEndpoints scaled = web(all);
        EndpointAddress added = new EndpointAddress(all.get(n - 1).ip(), 8080);
        long before = book.total(added);
        int requests = 300 * n;
        for (int i = 0; i < requests; i++) {
            EndpointAddress e = chosen(Balancer.choose(scaled, "http", Set.of(), book, random::nextInt));
            book.open(e);
            book.close(e); // request done before the next arrives
        }
        long share = requests / n;
        assertThat(book.total(added) - before).isBetween((long) (share * 0.75), (long) (share * 1.25));
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void withoutLoadEachEndpointGetsItsShare(int n, int seed) {
        ServiceEndpoints s = web(readyEndpoints(n));
        Random random = new Random(seed);
        Map<EndpointAddress, Integer> counts = new HashMap<>();
        int picks = 4000 * n;
        for (int i = 0; i < picks; i++) {
            counts.merge(chosen(Balancer.choose(s, "http", Set.of(), Balancer.Load.NONE, random::nextInt)), 1, Integer::sum);
        }
        // All tie: the first draw wins, which is uniform.
        assertThat(counts).hasSize(n);
        counts.values().forEach(c -> assertThat(c).isBetween((int) (picks / n * 0.9), (int) (picks / n * 1.1)));
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void theMostLoadedEndpointIsNeverChosen(int n, int seed) {
        ServiceEndpoints s = web(readyEndpoints(n));
        Book book = new Book();
        EndpointAddress hot = new EndpointAddress(s.endpoints().get(seed % n).ip(), 8080);
        book.active.put(hot, 50L);
        Random random = new Random(seed);
        for (int i = 0; i < 1000; i++) {
            assertThat(chosen(Balancer.choose(s, "http", Set.of(), book, random::nextInt))).isNotEqualTo(hot);
        }
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void choiceFrequencyFollowsRankAsP2CPredicts(int n, int seed) {
        // Endpoint k has k active connections (fixed). It wins a draw of two exactly when the other is
        // heavier: P(k) = (n - 1 - k) / C(n, 2).
        ServiceEndpoints s = web(readyEndpoints(n));
        Book book = new Book();
        for (int k = 0; k < n; k++) {
            book.active.put(new EndpointAddress(s.endpoints().get(k).ip(), 8080), (long) k);
        }
        Random random = new Random(seed);
        int picks = 20_000;
        Map<EndpointAddress, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(chosen(Balancer.choose(s, "http", Set.of(), book, random::nextInt)), 1, Integer::sum);
        }
        double pairs = n * (n - 1) / 2.0;
        for (int k = 0; k < n; k++) {
            double expected = (n - 1 - k) / pairs;
            double seen = counts.getOrDefault(new EndpointAddress(s.endpoints().get(k).ip(), 8080), 0) / (double) picks;
            assertThat(seen).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.02));
        }
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void sameSeedSameChoices(int n, int seed) {
        ServiceEndpoints s = web(readyEndpoints(n));
        assertThat(sequence(s, seed)).isEqualTo(sequence(s, seed));
    }

    private static List<EndpointAddress> sequence(ServiceEndpoints s, int seed) {
        Book book = new Book();
        Random random = new Random(seed);
        List<EndpointAddress> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            EndpointAddress e = chosen(Balancer.choose(s, "http", Set.of(), book, random::nextInt));
            out.add(e);
            book.open(e);
            if (i % 3 == 0) {
                book.close(out.get(i / 2));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void failedEndpointsOfThisAttemptAreSkipped(int n, int seed) {
        ServiceEndpoints s = web(readyEndpoints(n));
        Random random = new Random(seed);
        Set<EndpointAddress> failed = new HashSet<>();
        // Fail every choice in turn: each attempt gets an endpoint not tried yet, until none is left.
        for (int attempt = 0; attempt < n; attempt++) {
            EndpointAddress e = chosen(Balancer.choose(s, "http", failed, Balancer.Load.NONE, random::nextInt));
            assertThat(failed).doesNotContain(e);
            failed.add(e);
        }
        Choice last = Balancer.choose(s, "http", failed, Balancer.Load.NONE, random::nextInt);
        assertThat(last).isInstanceOf(Choice.Refused.class);
        assertThat(((Choice.Refused) last).reason()).startsWith("every ready endpoint of default/web:http failed to connect")
                .contains("10.244.0.2:8080");
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void notReadyEndpointsGetNoNewConnection(int n, int seed) {
        List<Endpoint> endpoints = new ArrayList<>(readyEndpoints(n));
        int down = seed % n;
        endpoints.set(down, endpoints.get(down).withReady(false));
        ServiceEndpoints s = web(endpoints);
        Random random = new Random(seed);
        EndpointAddress notReady = new EndpointAddress(endpoints.get(down).ip(), 8080);
        for (int i = 0; i < 500; i++) {
            assertThat(chosen(Balancer.choose(s, "http", Set.of(), Balancer.Load.NONE, random::nextInt))).isNotEqualTo(notReady);
        }
    }

    @ParameterizedTest(name = "{0} endpoints, seed {1}")
    @MethodSource("sizesAndSeeds")
    void drainingEndpointKeepsItsLoadButGetsNothingNew(int n, int seed) {
        // An endpoint going not-ready (terminating) still has connections; new ones go elsewhere even
        // though it looks lightest, and once ready again it is chosen first (fewest active).
        ServiceEndpoints s = web(readyEndpoints(n));
        Book book = new Book();
        Random random = new Random(seed);
        for (int i = 0; i < 4 * n; i++) {
            book.open(chosen(Balancer.choose(s, "http", Set.of(), book, random::nextInt)));
        }
        Endpoint draining = s.endpoints().get(seed % n);
        EndpointAddress drainingAddress = new EndpointAddress(draining.ip(), 8080);
        List<Endpoint> endpoints = new ArrayList<>(s.endpoints());
        endpoints.set(seed % n, draining.withReady(false));
        ServiceEndpoints drained = s.withEndpoints(endpoints);
        book.active.put(drainingAddress, 0L);
        for (int i = 0; i < 4 * n; i++) {
            EndpointAddress e = chosen(Balancer.choose(drained, "http", Set.of(), book, random::nextInt));
            assertThat(e).isNotEqualTo(drainingAddress);
            book.open(e);
        }
        // Ready again with 0 active against several elsewhere: it wins every draw it is part of.
        int d = seed % n;
        for (int j = 0; j < n; j++) {
            if (j == d) {
                continue;
            }
            int[] draws = {d, j < d ? j : j - 1};
            int[] next = {0};
            assertThat(chosen(Balancer.choose(s, "http", Set.of(), book, bound -> draws[next[0]++]))).isEqualTo(drainingAddress);
        }
    }

    @Test
    void noEndpointsIsRefusedWithReason() {
        Choice c = Balancer.choose(web(List.of()), "http", Set.of(), Balancer.Load.NONE, bound -> 0);
        assertThat(c).isEqualTo(new Choice.Refused("service default/web has no endpoints"));
    }

    @Test
    void noReadyEndpointsIsRefusedWithReason() {
        ServiceEndpoints s = web(List.of(notReady("a", "10.244.0.2", 80), notReady("b", "10.244.0.3", 80)));
        Choice c = Balancer.choose(s, "http", Set.of(), Balancer.Load.NONE, bound -> 0);
        assertThat(c).isEqualTo(new Choice.Refused("service default/web:http has no ready endpoints (2 not ready)"));
    }

    @Test
    void unknownPortIsRefused() {
        Choice c = Balancer.choose(web(readyEndpoints(2)), "grpc", Set.of(), Balancer.Load.NONE, bound -> 0);
        assertThat(((Choice.Refused) c).reason()).isEqualTo("service default/web has no port \"grpc\"");
    }

    @Test
    void endpointsNotServingThePortAreNotCandidates() {
        List<ServicePort> ports = List.of(new ServicePort("http", 80), new ServicePort("metrics", 9090));
        Endpoint both = new Endpoint("a", "10.244.0.2", Map.of("http", 8080, "metrics", 9100), true);
        Endpoint httpOnly = new Endpoint("b", "10.244.0.3", Map.of("http", 8080), true);
        ServiceEndpoints s = Fixtures.service("web", "10.96.0.10", ports, List.of(both, httpOnly));
        Random random = new Random(1);
        for (int i = 0; i < 100; i++) {
            assertThat(chosen(Balancer.choose(s, "metrics", Set.of(), Balancer.Load.NONE, random::nextInt)))
                    .isEqualTo(new EndpointAddress("10.244.0.2", 9100));
        }
        ServiceEndpoints none = s.withEndpoints(List.of(httpOnly));
        assertThat(((Choice.Refused) Balancer.choose(none, "metrics", Set.of(), Balancer.Load.NONE, random::nextInt)).reason())
                .isEqualTo("no endpoint of default/web serves port \"metrics\"");
    }

    @Test
    void namedTargetPortResolvesPerEndpoint() {
        Endpoint oldPod = new Endpoint("a", "10.244.0.2", Map.of("http", 8080), true);
        Endpoint newPod = new Endpoint("b", "10.244.0.3", Map.of("http", 9090), true);
        ServiceEndpoints s = web(List.of(oldPod, newPod));
        Set<EndpointAddress> seen = new HashSet<>();
        Random random = new Random(3);
        for (int i = 0; i < 100; i++) {
            seen.add(chosen(Balancer.choose(s, "http", Set.of(), Balancer.Load.NONE, random::nextInt)));
        }
        assertThat(seen).containsExactlyInAnyOrder(new EndpointAddress("10.244.0.2", 8080), new EndpointAddress("10.244.0.3", 9090));
    }

    @Test
    void oneCandidateNeedsNoRandomness() {
        ServiceEndpoints s = web(List.of(ready("a", "10.244.0.2", 80), notReady("b", "10.244.0.3", 80)));
        Choice c = Balancer.choose(s, "http", Set.of(), Balancer.Load.NONE, bound -> {
            throw new AssertionError("no draw needed");
        });
        assertThat(chosen(c)).isEqualTo(new EndpointAddress("10.244.0.2", 80));
    }

    @Test
    void twoDrawsAreAlwaysDistinct() {
        // A random source that always answers 0: the second draw must still be another endpoint, and
        // the lighter one wins.
        ServiceEndpoints s = web(readyEndpoints(3));
        Book book = new Book();
        book.active.put(new EndpointAddress("10.244.0.2", 8080), 5L);
        assertThat(chosen(Balancer.choose(s, "http", Set.of(), book, bound -> 0))).isEqualTo(new EndpointAddress("10.244.0.3", 8080));
    }

    @Test
    void tieOnActiveGoesToTheFirstDrawWhateverTheTotals() {
        ServiceEndpoints s = web(readyEndpoints(2));
        Book book = new Book();
        book.total.put(new EndpointAddress("10.244.0.2", 8080), 10L);
        assertThat(chosen(Balancer.choose(s, "http", Set.of(), book, bound -> 0))).isEqualTo(new EndpointAddress("10.244.0.2", 8080));
        assertThat(chosen(Balancer.choose(s, "http", Set.of(), Balancer.Load.NONE, bound -> 0))).isEqualTo(new EndpointAddress("10.244.0.2", 8080));
        assertThat(chosen(Balancer.choose(s, "http", Set.of(), Balancer.Load.NONE, bound -> bound - 1))).isEqualTo(new EndpointAddress("10.244.0.3", 8080));
    }
}
