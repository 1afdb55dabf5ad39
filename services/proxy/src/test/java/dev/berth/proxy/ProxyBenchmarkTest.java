package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The benchmark reads wrk's and hey's text output: these are real outputs of both tools. */
class ProxyBenchmarkTest {
    static final String WRK = """
            Running 3s test @ http://127.0.0.1:36301/
              2 threads and 32 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.23ms    2.00ms  31.32ms   95.00%
                Req/Sec    30.00k     2.00k   35.00k    70.00%
              Latency Distribution
                 50%  310.00us
                 75%  500.00us
                 90%    1.00ms
                 99%    1.20s
              181557 requests in 3.00s, 15.58MB read
              Socket errors: connect 0, read 3, write 1, timeout 2
              Non-2xx or 3xx responses: 7
            Requests/sec:  60519.00
            Transfer/sec:      5.19MB
            """;

    static final String HEY = """
            Summary:
              Total:\t3.0012 secs
              Requests/sec:\t1778.2

            Latency distribution:
              10%% in 0.0004 secs
              50%% in 0.0008 secs
              99%% in 0.0445 secs

            Status code distribution:
              [200]\t5336 responses
              [503]\t4 responses

            Error distribution:
              [12]\tGet "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused
              [3]\tGet "http://127.0.0.1:1/": EOF
            """;

    @Test
    void readsWrk() {
        assertThat(ProxyBenchmark.number(WRK, "Requests/sec:\\s+([0-9.]+)")).isEqualTo(60519.0);
        assertThat(ProxyBenchmark.wrkLatency(WRK, "50%")).isEqualTo(0.31);
        assertThat(ProxyBenchmark.wrkLatency(WRK, "90%")).isEqualTo(1.0);
        assertThat(ProxyBenchmark.wrkLatency(WRK, "99%")).isEqualTo(1200.0);
        assertThat(ProxyBenchmark.socketErrors(WRK)).isEqualTo(6.0);
    }

    @Test
    void readsHey() {
        assertThat(ProxyBenchmark.number(HEY, "Requests/sec:\\s+([0-9.]+)")).isEqualTo(1778.2);
        assertThat(1000 * ProxyBenchmark.number(HEY, "50%+ in ([0-9.]+) secs")).isEqualTo(0.8);
        assertThat(1000 * ProxyBenchmark.number(HEY, "99%+ in ([0-9.]+) secs")).isEqualTo(44.5);
        assertThat(ProxyBenchmark.non200(HEY)).isEqualTo(4);
        assertThat(ProxyBenchmark.errorCount(HEY)).isEqualTo(15);
    }

    @Test
    void missingNumbersAreAnErrorNotZero() {
        assertThatThrownBy(() -> ProxyBenchmark.wrkLatency("garbage", "99%")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ProxyBenchmark.number("garbage", "Requests/sec:\\s+([0-9.]+)")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void optionsAreBounded() {
        assertThatThrownBy(() -> ProxyBenchmark.Options.parse(new String[] {"--seconds", "1000"})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyBenchmark.Options.parse(new String[] {"--bogus", "1"})).isInstanceOf(IllegalArgumentException.class);
        assertThat(ProxyBenchmark.Options.parse(new String[] {"--seconds", "5"}).seconds()).isEqualTo(5);
    }

    /** The benchmark in miniature (1 s runs, once, no nft): every part completes and prints its table. No timing is asserted. */
    @Test
    void smokeRun() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProxyBenchmark.onPath("wrk") && ProxyBenchmark.onPath("hey"), "needs wrk and hey");
        String table = ProxyBenchmark.run(ProxyBenchmark.Options.parse(new String[] {"--seconds", "1", "--repeat", "1", "--nft", "0",
                "--connections", "4", "--hey-connections", "2", "--rate", "400"}));
        assertThat(table).contains("| through proxy, 1 endpoint | wrk |", "| capacity-limited: through proxy, 3 endpoints | wrk | 3 |",
                "throughput through the proxy", "latency added at 400 req/s", "refused=0");
    }
}
