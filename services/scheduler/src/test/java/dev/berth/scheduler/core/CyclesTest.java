package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Outbound;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodUnschedulable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Inputs change state only; a cycle decides, in name order, at most its limit of pods. */
class CyclesTest {
    private final SchedulerState state = new SchedulerState();
    private final Processors core = new Processors(state, Profile.of(SchedulingPolicy.SPREAD, STALENESS), STALENESS, 3);

    @Test
    void inputsDecideNothingUntilACycleRuns() {
        core.apply(standardNode("node-a"), T0, T0);
        core.apply(pod("p2", 100, 64), T0, T0);
        core.apply(pod("p1", 100, 64), T0, T0);
        assertThat(state.pendingCount()).isEqualTo(2);

        List<Outbound> out = core.cycle(T0);
        assertThat(payloads(out, PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("p1", "p2");
        assertThat(core.lastCycleWorked()).isTrue();
        assertThat(core.cycle(T0)).isEmpty();
        assertThat(core.lastCycleWorked()).isFalse();
    }

    @Test
    void aCycleTriesAtMostItsLimitAndTheNextGoesOn() {
        core.apply(heartbeat("node-a", 4000, 4096, 100), T0, T0);
        for (int i = 1; i <= 7; i++) core.apply(pod("p" + i, 100, 64), T0, T0);

        assertThat(payloads(core.cycle(T0), PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("p1", "p2", "p3");
        assertThat(core.hasMoreToTry(T0)).isTrue();
        assertThat(payloads(core.cycle(T0), PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("p4", "p5", "p6");
        assertThat(payloads(core.cycle(T0), PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("p7");
        assertThat(core.hasMoreToTry(T0)).isFalse();
    }

    @Test
    void unschedulablePodsWaitForAChangeAndAreNotRetriedEveryCycle() {
        core.apply(heartbeat("node-a", 1000, 1024, 10), T0, T0);
        core.apply(pod("big", 2000, 64), T0, T0);
        assertThat(payloads(core.cycle(T0), PodUnschedulable.class)).hasSize(1);

        core.apply(pod("small", 100, 64), T0, T0);
        List<Outbound> out = core.cycle(T0);
        assertThat(payloads(out, PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("small");
        assertThat(core.hasMoreToTry(T0)).isFalse();

        core.apply(heartbeat("node-b", 4000, 4096, 10), T0, T0); // a new node: everything pending is tried again
        assertThat(payloads(core.cycle(T0), PodPlaced.class)).extracting(PodPlaced::node).containsExactly("node-b");
    }

    @Test
    void releasesComeFirstAndTheCapacityTheyFreeServesTheSameCycle() {
        core.apply(heartbeat("node-a", 1000, 1024, 10), T0, T0);
        core.apply(pod("old", 1000, 64), T0, T0);
        core.cycle(T0);
        core.apply(pod("new", 1000, 64), T0, T0);
        assertThat(payloads(core.cycle(T0), PodUnschedulable.class)).hasSize(1);

        core.apply(deletion("old"), T0, T0);
        List<Outbound> out = core.cycle(T0);
        assertThat(out.get(0).payload()).isInstanceOf(PodReleased.class);
        assertThat(payloads(out, PodPlaced.class)).extracting(PodPlaced::pod).containsExactly("new");
    }

    @Test
    void aDeletedPendingPodIsNeverTried() {
        core.apply(pod("gone", 100, 64), T0, T0);
        core.apply(deletion("gone"), T0, T0);
        core.apply(standardNode("node-a"), T0, T0);
        assertThat(core.cycle(T0)).isEmpty();
        assertThat(core.lastCycleWorked()).isFalse();
    }
}
