package dev.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The proxy benchmark reads wrk's and hey's text output: these are real outputs of both tools. */
class ServiceProxyBenchmarkTest {
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
        assertThat(LoadTools.number(WRK, "Requests/sec:\\s+([0-9.]+)")).isEqualTo(60519.0);
        assertThat(LoadTools.wrkLatency(WRK, "50%")).isEqualTo(0.31);
        assertThat(LoadTools.wrkLatency(WRK, "90%")).isEqualTo(1.0);
        assertThat(LoadTools.wrkLatency(WRK, "99%")).isEqualTo(1200.0);
        assertThat(LoadTools.socketErrors(WRK)).isEqualTo(6.0);
    }

    @Test
    void readsHey() {
        assertThat(LoadTools.number(HEY, "Requests/sec:\\s+([0-9.]+)")).isEqualTo(1778.2);
        assertThat(1000 * LoadTools.number(HEY, "50%+ in ([0-9.]+) secs")).isEqualTo(0.8);
        assertThat(1000 * LoadTools.number(HEY, "99%+ in ([0-9.]+) secs")).isEqualTo(44.5);
        assertThat(LoadTools.non200(HEY)).isEqualTo(4);
        assertThat(LoadTools.errorCount(HEY)).isEqualTo(15);
    }

    @Test
    void missingNumbersAreAnErrorNotZero() {
        assertThatThrownBy(() -> LoadTools.wrkLatency("garbage", "99%")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LoadTools.number("garbage", "Requests/sec:\\s+([0-9.]+)")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void eachMeasureIsItsOwnMedian() {
        LoadTools.Load m = ServiceProxyBenchmark.median(List.of(new LoadTools.Load("wrk", 4, 100, 1, 9, 0),
                new LoadTools.Load("wrk", 4, 300, 3, 5, 1), new LoadTools.Load("wrk", 4, 200, 2, 7, 2)));
        assertThat(m).isEqualTo(new LoadTools.Load("wrk", 4, 200, 2, 7, 3));
    }

    @Test
    void optionsAreBounded() {
        assertThat(new CommandLine(new Bench()).execute("proxy", "--seconds", "1000")).isNotZero();
        assertThat(new CommandLine(new Bench()).execute("proxy", "--backends", "elsewhere")).isNotZero();
    }

    /** In miniature against loopback servers (1 s runs): every row is measured and the targets are judged. No timing is asserted. */
    @Test
    void smokeRunOnLoopback() throws Exception {
        Assumptions.assumeTrue(LoadTools.available("wrk") && LoadTools.available("hey"), "needs wrk and hey");
        ServiceProxyBenchmark b = new ServiceProxyBenchmark();
        new CommandLine(b).parseArgs("--seconds", "1", "--connections", "4", "--rate", "200", "--backends", "loopback");
        String table = b.run(System.err);
        assertThat(table).contains("loopback servers", "| direct to 1 pod | 1 |", "| via Service, 1 endpoint | 1 |",
                "| via Service, 3 endpoints | 3 |", "of direct (target >= 50 %)", "p99 added at 200 req/s", "refused=0");
    }
}
