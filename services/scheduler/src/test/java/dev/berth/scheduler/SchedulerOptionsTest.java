package dev.berth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.scheduler.core.SchedulingPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerOptionsTest {

    @Test
    void thePolicyComesFromTheEnvironmentAndDefaultsToSpread() {
        assertThat(SchedulerOptions.fromEnvironment(Map.of()).policy()).isEqualTo(SchedulingPolicy.SPREAD);
        assertThat(SchedulerOptions.fromEnvironment(Map.of("BERTH_SCHEDULING_POLICY", "binpack")).policy())
                .isEqualTo(SchedulingPolicy.BINPACK);
        assertThat(SchedulerOptions.fromEnvironment(Map.of("BERTH_SCHEDULING_POLICY", " Spread ")).policy())
                .isEqualTo(SchedulingPolicy.SPREAD);
    }

    @Test
    void anUnknownPolicyNamesTheKnownOnes() {
        assertThatThrownBy(() -> SchedulingPolicy.parse("pack"))
                .hasMessage("unknown scheduling policy 'pack': use one of spread, binpack");
    }
}
