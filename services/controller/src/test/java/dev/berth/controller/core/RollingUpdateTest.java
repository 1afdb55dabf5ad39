package dev.berth.controller.core;

import static dev.berth.controller.core.Harness.created;
import static dev.berth.controller.core.Harness.deletions;
import static dev.berth.controller.core.RolloutDriver.rolling;
import static dev.berth.controller.core.RolloutDriver.v;
import static dev.berth.controller.core.RolloutDriver.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RollingUpdate step by step, the test playing the nodes: Kubernetes' reconcileNewReplicaSet and reconcileOldReplicaSets. */
class RollingUpdateTest {
    private final RolloutDriver r = new RolloutDriver();

    /** Reconciles and checks the step's counts: pods created, deleted, and then of each version. */
    private void step(int create, int delete, long newPods, long oldPods) {
        List<Event> events = r.reconcile();
        assertThat(created(events)).as("created").hasSize(create);
        assertThat(deletions(events)).as("deleted").hasSize(delete);
        assertThat(r.ofVersion(2)).as("new pods").isEqualTo(newPods);
        assertThat(r.ofVersion(1)).as("old pods").isEqualTo(oldPods);
    }

    private List<Event> update(int replicas, DeploymentSpec.Rollout rollout) {
        r.settled(replicas, 1, rollout);
        return r.apply(web(replicas, 2, rollout));
    }

    @Test
    void defaults25PercentOf4SurgeOneAndLoseOne() {
        List<Event> first = update(4, DeploymentSpec.Rollout.DEFAULT);
        // surge 1 (rounded up), unavailable 1 (rounded down): 2 new, 1 old gone, 5 pods in all
        assertThat(created(first)).hasSize(2);
        assertThat(deletions(first)).hasSize(1);
        assertThat(r.ofVersion(2)).isEqualTo(2);
        assertThat(r.ofVersion(1)).isEqualTo(3);
        r.stopDeleted();
        step(0, 0, 2, 3);
        r.startAll(true);
        step(2, 2, 4, 1);
        r.startAll(true);
        step(0, 1, 4, 0);
        assertThat(r.reconcile()).isEmpty();
    }

    @Test
    void surgeOneUnavailableZeroNeverDropsBelowTheReplicas() {
        List<Event> first = update(3, rolling("1", "0"));
        assertThat(created(first)).hasSize(1);
        assertThat(deletions(first)).isEmpty();
        step(0, 0, 1, 3);
        r.startAll(false); // running, readiness probe not passed yet: not available
        step(0, 0, 1, 3);
        r.readyAll();
        step(1, 1, 2, 2);
        r.startAll(true);
        step(1, 1, 3, 1);
        r.startAll(true);
        step(0, 1, 3, 0);
    }

    @Test
    void surgeZeroUnavailableOneDeletesBeforeItCreates() {
        List<Event> first = update(3, rolling("0", "1"));
        assertThat(deletions(first)).hasSize(1);
        assertThat(created(first)).hasSize(1);
        assertThat(first.indexOf(deletions(first).get(0))).isLessThan(first.indexOf(created(first).get(0)));
        assertThat(r.live()).hasSize(3);
        r.startAll(true);
        step(1, 1, 2, 1);
        r.startAll(true);
        step(1, 1, 3, 0);
    }

    @Test
    void tenReplicasAt25PercentSurgeThreeAndLoseTwo() {
        List<Event> first = update(10, DeploymentSpec.Rollout.DEFAULT);
        assertThat(created(first)).hasSize(5);
        assertThat(deletions(first)).hasSize(2);
        assertThat(r.live()).hasSize(13);
        r.startAll(true);
        step(5, 5, 10, 3);
        r.startAll(true);
        step(0, 3, 10, 0);
    }

    @Test
    void percentagesRoundSurgeUpAndUnavailableDown() {
        // 30 % of 5: surge 2 (1.5 up), unavailable 1 (1.5 down)
        List<Event> first = update(5, rolling("30%", "30%"));
        assertThat(created(first)).hasSize(3);
        assertThat(deletions(first)).hasSize(1);
        assertThat(r.live()).hasSize(7);
        assertThat(r.available()).isEqualTo(4);
    }

    @Test
    void surgeZeroAndAnUnavailablePercentRoundingToZeroMeansOneUnavailable() {
        // 10 % of 4 rounds down to 0: with maxSurge 0 nothing could ever move, so Kubernetes allows 1
        List<Event> first = update(4, rolling("0", "10%"));
        assertThat(deletions(first)).hasSize(1);
        assertThat(created(first)).hasSize(1);
    }

    @Test
    void oneReplicaSurgesBeforeTheOldPodGoes() {
        List<Event> first = update(1, DeploymentSpec.Rollout.DEFAULT);
        assertThat(created(first)).hasSize(1);
        assertThat(deletions(first)).isEmpty();
        r.startAll(true);
        step(0, 1, 1, 0);
        assertThat(deletions(r.h.log.stream().map(e -> (Event) e.data()).toList())).last()
                .extracting(PodDeletionRequested::reason).isEqualTo("replaced: deployment web rolled out revision 2");
    }

    @Test
    void oldPodsThatAreNotAvailableGoFirst() {
        r.apply(web(4, 1, rolling("0", "1")));
        r.start(3); // one old pod never started
        PodRecord stuck = r.live().stream().filter(PodRecord::neverReported).findFirst().orElseThrow();
        r.reconcile();
        List<Event> first = r.apply(web(4, 2, rolling("0", "1")));
        assertThat(deletions(first)).extracting(PodDeletionRequested::pod).startsWith(stuck.name());
    }

    @Test
    void newPodsCarryTheRevisionAndTheReasonNamesIt() {
        List<Event> first = update(2, DeploymentSpec.Rollout.DEFAULT);
        assertThat(created(first)).extracting(PodCreated::revision).containsOnly(2L);
        assertThat(r.live()).filteredOn(p -> p.template().equals(v(2))).extracting(PodRecord::revision).containsOnly(2L);
        assertThat(r.live()).filteredOn(p -> p.template().equals(v(1))).extracting(PodRecord::revision).containsOnly(1L);
    }

    @Test
    void aScaleUpDuringARolloutGrowsTheNewRevision() {
        update(4, DeploymentSpec.Rollout.DEFAULT); // 2 new, 3 old
        List<Event> scaled = r.scale(8); // surge 2, unavailable 2: room for 10 pods
        assertThat(deletions(scaled)).isEmpty();
        assertThat(r.live()).hasSizeLessThanOrEqualTo(10);
        finish(8, 2, 2);
    }

    @Test
    void aScaleDownDuringARolloutTakesOldPodsFirst() {
        update(10, DeploymentSpec.Rollout.DEFAULT); // 5 new, 8 old
        r.scale(4);
        assertThat(r.live()).hasSizeLessThanOrEqualTo(5 + 8);
        finish(4, 1, 1);
    }

    @Test
    void aNewPodThatNeverTurnsReadyHoldsTheRolloutWithoutLosingOldOnes() {
        update(3, rolling("1", "0"));
        for (int i = 0; i < 5; i++) {
            r.startAll(false);
            r.report(r.live().stream().filter(p -> p.template().equals(v(2))).findFirst().orElseThrow().name(), ContainerState.Failed, false);
            assertThat(Harness.podEvents(r.reconcile())).as("a failed new pod stays a replica, as before rollouts, and is never available: old pods stay").isEmpty();
        }
        assertThat(r.ofVersion(1)).isEqualTo(3);
        assertThat(r.available()).isEqualTo(3);
    }

    @Test
    void scalingToZeroDuringARolloutRemovesEveryPod() {
        update(4, DeploymentSpec.Rollout.DEFAULT);
        List<Event> events = r.scale(0);
        assertThat(r.live()).isEmpty();
        assertThat(deletions(events)).hasSize(5);
    }

    @Test
    void deletingTheDeploymentMidRolloutDeletesOldAndNewPods() {
        update(4, DeploymentSpec.Rollout.DEFAULT);
        r.h.accepted(new dev.berth.bus.contract.DeleteDeployment("web"));
        List<Event> events = r.reconcile();
        assertThat(deletions(events)).hasSize(5).allSatisfy(d -> assertThat(d.reason()).isEqualTo("deployment web deleted"));
    }

    @Test
    void aRollbackMidRolloutKeepsThePodsOfTheTemplateRolledBackTo() {
        update(4, DeploymentSpec.Rollout.DEFAULT); // 2 of v2, 3 of v1
        List<String> v1 = r.live().stream().filter(p -> p.template().equals(v(1))).map(PodRecord::name).toList();
        List<Event> back = r.apply(web(4, 1, DeploymentSpec.Rollout.DEFAULT));
        assertThat(r.deployment().revision()).isEqualTo(3);
        assertThat(deletions(back)).extracting(PodDeletionRequested::pod).doesNotContainAnyElementsOf(v1);
        assertThat(created(back)).extracting(PodCreated::template).containsOnly(v(1));
        finishAt(1, 4);
        assertThat(r.live()).extracting(PodRecord::name).containsAll(v1);
    }

    private void finishAt(int version, int replicas) {
        for (int round = 0; round < 50; round++) {
            r.stopDeleted();
            r.startAll(true);
            r.reconcile();
        }
        assertThat(r.ofVersion(version)).isEqualTo(replicas);
        assertThat(r.live()).hasSize(replicas);
    }

    @Test
    void reconcilingItsOwnResultDecidesNothing() {
        update(10, DeploymentSpec.Rollout.DEFAULT);
        assertThat(Harness.podEvents(r.reconcile())).isEmpty();
    }

    /** Nodes start every pod and stop the deleted ones until the rollout is done; the bounds hold at each step. */
    private void finish(int replicas, int surge, int unavailable) {
        for (int round = 0; round < 100 && !done(replicas); round++) {
            r.stopDeleted();
            r.startAll(true);
            r.reconcile();
            assertThat(r.live()).hasSizeLessThanOrEqualTo(replicas + surge);
            assertThat(r.available()).isGreaterThanOrEqualTo(replicas - unavailable);
        }
        assertThat(done(replicas)).isTrue();
    }

    private boolean done(int replicas) {
        return r.ofVersion(2) == replicas && r.ofVersion(1) == 0 && r.available() == replicas;
    }

    static Stream<Arguments> strategies() {
        List<String[]> surgeUnavailable = List.of(new String[]{"25%", "25%"}, new String[]{"1", "0"}, new String[]{"0", "1"},
                new String[]{"30%", "30%"}, new String[]{"100%", "0"}, new String[]{"0", "100%"}, new String[]{"2", "3"},
                new String[]{"0", "10%"}, new String[]{"50%", "10%"});
        Stream.Builder<Arguments> all = Stream.builder();
        for (int replicas : new int[]{1, 2, 3, 5, 10}) {
            for (String[] su : surgeUnavailable) all.add(Arguments.of(replicas, su[0], su[1]));
        }
        return all.build();
    }

    /**
     * Whatever the strategy and however slowly pods turn ready: never more than replicas + maxSurge pods, never fewer
     * than replicas − maxUnavailable available, and the rollout completes.
     */
    @ParameterizedTest(name = "{0} replicas, maxSurge {1}, maxUnavailable {2}")
    @MethodSource("strategies")
    void boundsHoldAtEveryStepAndTheRolloutCompletes(int replicas, String maxSurge, String maxUnavailable) {
        DeploymentSpec.Rollout rollout = rolling(maxSurge, maxUnavailable);
        int surge = rollout.strategy().surge(replicas), unavailable = rollout.strategy().unavailable(replicas);
        Random random = new Random(replicas * 31L + maxSurge.hashCode() + maxUnavailable.hashCode());
        update(replicas, rollout);
        for (int round = 0; round < 400 && !done(replicas); round++) {
            assertThat(r.live()).as("round %d", round).hasSizeLessThanOrEqualTo(replicas + surge);
            assertThat(r.available()).as("round %d", round).isGreaterThanOrEqualTo(replicas - unavailable);
            if (random.nextBoolean()) r.stopDeleted();
            for (PodRecord p : r.live()) {
                if (p.neverReported() && random.nextInt(3) == 0) r.report(p.name(), ContainerState.Running, false);
                else if (p.isRunning() && !p.ready() && random.nextInt(3) == 0) r.report(p.name(), ContainerState.Running, true);
            }
            r.reconcile();
        }
        assertThat(done(replicas)).as("completed").isTrue();
        assertThat(r.status().conditions()).extracting(c -> c.reason()).contains(DeploymentStatuses.NEW_REPLICA_SET_AVAILABLE);
    }
}
