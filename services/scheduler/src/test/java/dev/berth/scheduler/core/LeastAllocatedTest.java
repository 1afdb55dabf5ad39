package dev.berth.scheduler.core;

import static dev.berth.scheduler.core.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.berth.scheduler.core.plugins.LeastAllocated;
import org.junit.jupiter.api.Test;

class LeastAllocatedTest {
    private final LeastAllocated plugin = new LeastAllocated();

    @Test
    void scoresTheMeanFreeFractionAfterPlacing() {
        NodeView empty = view("n1", 1000, 1024, 10, 0, 0, 0, T0);
        // cpu: 750/1000 free, memory: 768/1024 free, both 0.75 -> 75
        assertThat(plugin.score(request(250, 256), empty)).isCloseTo(75.0, within(1e-9));
        // cpu 0.5 free, memory 1.0 free -> 75
        assertThat(plugin.score(request(500, 0), empty)).isCloseTo(75.0, within(1e-9));
    }

    @Test
    void prefersTheEmptierNode() {
        NodeView busy = view("busy", 1000, 1024, 10, 500, 512, 2, T0);
        NodeView idle = view("idle", 1000, 1024, 10, 0, 0, 0, T0);
        assertThat(plugin.score(request(100, 100), idle)).isGreaterThan(plugin.score(request(100, 100), busy));
    }

    @Test
    void aNodeWithoutCapacityScoresZeroForIt() {
        NodeView noMemory = view("n1", 1000, 0, 10, 0, 0, 0, T0);
        assertThat(plugin.score(request(0, 0), noMemory)).isCloseTo(50.0, within(1e-9));
    }
}
