package dev.berth.controller.core;

import static dev.berth.controller.core.Harness.created;
import static dev.berth.controller.core.Harness.deletions;
import static dev.berth.controller.core.RolloutDriver.RECREATE;
import static dev.berth.controller.core.RolloutDriver.rolling;
import static dev.berth.controller.core.RolloutDriver.v;
import static dev.berth.controller.core.RolloutDriver.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recreate, minReadySeconds and paused deployments. */
class RolloutStrategiesTest {
    private final RolloutDriver r = new RolloutDriver();

    // ---- Recreate ----

    @Test
    void recreateDeletesEveryOldPodAndWaitsUntilTheyStopped() {
        r.settled(3, 1, RECREATE);
        List<Event> first = r.apply(web(3, 2, RECREATE));
        assertThat(deletions(first)).hasSize(3)
                .allSatisfy(d -> assertThat(d.reason()).isEqualTo("replaced: deployment web rolled out revision 2"));
        assertThat(created(first)).as("old pods still run").isEmpty();

        List<PodRecord> terminating = r.h.state.podsOf("web");
        r.report(terminating.get(0).name(), ContainerState.Stopped, false);
        r.report(terminating.get(1).name(), ContainerState.Stopped, false);
        assertThat(Harness.podEvents(r.reconcile())).as("one old pod has not stopped").isEmpty();

        r.report(terminating.get(2).name(), ContainerState.Stopped, false);
        List<Event> after = r.reconcile();
        assertThat(created(after)).hasSize(3).extracting(PodCreated::template).containsOnly(v(2));
        assertThat(created(after)).extracting(PodCreated::revision).containsOnly(2L);
    }

    @Test
    void recreateOfPodsNoNodeRanCreatesAtOnce() {
        r.apply(web(2, 1, RECREATE));
        List<Event> events = r.apply(web(2, 2, RECREATE));
        assertThat(deletions(events)).hasSize(2);
        assertThat(created(events)).hasSize(2);
        assertThat(events.indexOf(deletions(events).get(1))).isLessThan(events.indexOf(created(events).get(0)));
    }

    @Test
    void recreateIsReportedUnavailableWhileItRecreates() {
        r.settled(2, 1, RECREATE);
        r.apply(web(2, 2, RECREATE));
        assertThat(r.status().condition("Available").status()).isEqualTo("False");
        assertThat(r.status().condition("Available").reason()).isEqualTo(DeploymentStatuses.MINIMUM_REPLICAS_UNAVAILABLE);
    }

    @Test
    void aStoppedOldPodReportLetsTheCoreCreateTheNewOnesWithoutAResync() {
        r.settled(1, 1, RECREATE);
        r.apply(web(1, 2, RECREATE));
        PodRecord old = r.h.state.podsOf("web").get(0);
        r.report(old.name(), ContainerState.Stopped, false);
        ReconcileScope scope = ReconcileScope.of(List.of(r.h.log.get(r.h.log.size() - 1).data() instanceof Event e ? e : null), r.h.state);
        assertThat(created(Reconciler.decide(r.h.state, scope, r.h.now))).hasSize(1);
    }

    @Test
    void aReadyReportScopesItsDeploymentSoTheRollingUpdateGoesOnWithoutAResync() {
        r.settled(2, 1, rolling("1", "0"));
        r.apply(web(2, 2, rolling("1", "0")));
        PodRecord surge = r.live().stream().filter(PodRecord::neverReported).findFirst().orElseThrow();
        r.report(surge.name(), ContainerState.Running, true);
        Event report = (Event) r.h.log.get(r.h.log.size() - 1).data();
        ReconcileScope scope = ReconcileScope.of(List.of(report), r.h.state);
        assertThat(scope).hasToString("deployments [web], nodes [node-1]");
        List<Event> decided = Reconciler.decide(r.h.state, scope, r.h.now);
        assertThat(deletions(decided)).hasSize(1);
        assertThat(created(decided)).hasSize(1);
    }

    // ---- minReadySeconds ----

    @Test
    void aPodIsAvailableOnlyOnceReadyForMinReadySeconds() {
        DeploymentSpec.Rollout slow = new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 10, null, null, false);
        r.apply(web(2, 1, slow));
        r.startAll(true);
        r.reconcile();
        assertThat(r.status().readyReplicas()).isEqualTo(2);
        assertThat(r.status().availableReplicas()).isZero();
        r.advance(Duration.ofSeconds(11));
        r.reconcile();
        assertThat(r.status().availableReplicas()).isEqualTo(2);

        List<Event> update = r.apply(web(2, 2, slow));
        assertThat(created(update)).hasSize(1);
        r.startAll(true);
        r.advance(Duration.ofSeconds(5));
        assertThat(deletions(r.reconcile())).as("ready 5 s of 10: not available yet").isEmpty();
        r.advance(Duration.ofSeconds(6));
        assertThat(deletions(r.reconcile())).as("ready 11 s").hasSize(1);
    }

    @Test
    void theRolloutCheckSeesPodsTurnAvailableWithTimeAlone() {
        DeploymentSpec.Rollout slow = new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 10, null, null, false);
        ControllerCore core = new ControllerCore(new NodeTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), Harness.T0));
        r.settled(2, 1, slow);
        assertThat(ReconcileScope.rollingOut(r.h.state).isEmpty()).as("ready, not yet available").isFalse();
        var later = core.onInput(r.h.state, new ControllerCore.RolloutCheck(), r.h.now.plusSeconds(11));
        assertThat(RolloutDriver.statuses(later.outputs().stream().map(o -> (Event) o.payload()).toList()))
                .singleElement().satisfies(st -> assertThat(st.availableReplicas()).isEqualTo(2));
        assertThat(ReconcileScope.rollingOut(later.state()).isEmpty()).as("done: a steady cluster is not looked at").isTrue();
        assertThat(core.onInput(later.state(), new ControllerCore.RolloutCheck(), r.h.now.plusSeconds(20)).outputs()).isEmpty();
    }

    @Test
    void theReadyTimeIsTheReportsAndSurvivesFurtherReports() {
        r.apply(web(1, 1, DeploymentSpec.Rollout.DEFAULT));
        String pod = r.live().get(0).name();
        r.report(pod, ContainerState.Running, true);
        var since = r.h.state.pods().get(pod).readySince();
        assertThat(since).isEqualTo(r.h.now);
        r.report(pod, ContainerState.Running, true);
        assertThat(r.h.state.pods().get(pod).readySince()).isEqualTo(since);
        r.report(pod, ContainerState.Running, false);
        assertThat(r.h.state.pods().get(pod).readySince()).isNull();
    }

    // ---- paused ----

    private static DeploymentSpec paused(DeploymentSpec s) { return s.withRollout(s.rollout().withPaused(true)); }

    @Test
    void aPausedDeploymentDoesNotRollOut() {
        r.settled(3, 1, DeploymentSpec.Rollout.DEFAULT);
        r.apply(paused(web(3, 1, DeploymentSpec.Rollout.DEFAULT)));
        List<Event> events = r.apply(paused(web(3, 2, DeploymentSpec.Rollout.DEFAULT)));
        assertThat(Harness.podEvents(events)).isEmpty();
        assertThat(r.deployment().revision()).as("the template still gets its revision").isEqualTo(2);
        assertThat(r.status().condition("Progressing").status()).isEqualTo("Unknown");
        assertThat(r.status().condition("Progressing").reason()).isEqualTo(DeploymentStatuses.DEPLOYMENT_PAUSED);
        assertThat(r.status().condition("Progressing").message()).isEqualTo("Deployment is paused");
        assertThat(ReconcileScope.rollingOut(r.h.state).isEmpty()).as("time moves nothing while paused").isTrue();
    }

    @Test
    void scalingApausedDeploymentScalesThePodsAsTheyAre() {
        r.settled(3, 1, DeploymentSpec.Rollout.DEFAULT);
        r.apply(paused(web(3, 2, DeploymentSpec.Rollout.DEFAULT)));
        List<Event> up = r.scale(5);
        assertThat(created(up)).hasSize(2).allSatisfy(c -> {
            assertThat(c.template()).isEqualTo(v(1));
            assertThat(c.revision()).isEqualTo(1);
        });
        r.startAll(true);
        List<Event> down = r.scale(2);
        assertThat(deletions(down)).hasSize(3).allSatisfy(d -> assertThat(d.reason()).isEqualTo("scaled down to 2 replicas"));
        assertThat(r.ofVersion(1)).isEqualTo(2);
    }

    @Test
    void resumingRollsOutAndSaysSoFirst() {
        r.settled(2, 1, DeploymentSpec.Rollout.DEFAULT);
        r.apply(paused(web(2, 2, DeploymentSpec.Rollout.DEFAULT)));
        List<Event> resumed = r.apply(web(2, 2, DeploymentSpec.Rollout.DEFAULT));
        assertThat(created(resumed)).isNotEmpty();
        var statuses = RolloutDriver.statuses(resumed);
        assertThat(statuses).hasSize(2);
        assertThat(statuses.get(0).condition("Progressing").reason()).isEqualTo(DeploymentStatuses.DEPLOYMENT_RESUMED);
        assertThat(statuses.get(0).condition("Progressing").message()).isEqualTo("Deployment is resumed");
        assertThat(statuses.get(1).condition("Progressing").reason()).isEqualTo(DeploymentStatuses.REPLICA_SET_UPDATED);
    }

    @Test
    void resumingWithNothingToRollOutIsCompleteAgain() {
        r.settled(2, 1, DeploymentSpec.Rollout.DEFAULT);
        r.apply(paused(web(2, 1, DeploymentSpec.Rollout.DEFAULT)));
        List<Event> resumed = r.apply(web(2, 1, DeploymentSpec.Rollout.DEFAULT));
        assertThat(RolloutDriver.statuses(resumed)).extracting(s -> s.condition("Progressing").reason())
                .containsExactly(DeploymentStatuses.DEPLOYMENT_RESUMED, DeploymentStatuses.NEW_REPLICA_SET_AVAILABLE);
    }

    @Test
    void deletionsDuringARolloutAreNeverPausedForScalingAway() {
        r.settled(4, 1, rolling("0", "1"));
        r.apply(web(4, 2, rolling("0", "1")));
        List<Event> events = r.apply(paused(web(4, 2, rolling("0", "1"))));
        assertThat(deletions(events)).isEmpty();
        assertThat(r.live()).hasSize(4);
        assertThat(deletions(r.scale(3))).extracting(PodDeletionRequested::reason).containsExactly("scaled down to 3 replicas");
    }
}
