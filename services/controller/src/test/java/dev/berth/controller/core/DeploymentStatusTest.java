package dev.berth.controller.core;

import static dev.berth.controller.core.RolloutDriver.rolling;
import static dev.berth.controller.core.RolloutDriver.statuses;
import static dev.berth.controller.core.RolloutDriver.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.DeploymentCondition;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStatusChanged;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DeploymentStatusChanged as Kubernetes' status: counts, Available and Progressing, the progress deadline. */
class DeploymentStatusTest {
    private final RolloutDriver r = new RolloutDriver();
    private static final DeploymentSpec.Rollout DEADLINE_60 = new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 0, 60, null, false);

    private DeploymentCondition progressing() { return r.status().condition(DeploymentCondition.PROGRESSING); }

    private DeploymentCondition available() { return r.status().condition(DeploymentCondition.AVAILABLE); }

    @Test
    void aNewDeploymentIsCreatedThenProgressingThenComplete() {
        List<Event> events = r.apply(web(3, 1, DeploymentSpec.Rollout.DEFAULT));
        DeploymentStatusChanged first = statuses(events).get(0);
        assertThat(first.revision()).isEqualTo(1);
        assertThat(first.observedGeneration()).isEqualTo(1);
        assertThat(first.replicas()).isEqualTo(3);
        assertThat(first.updatedReplicas()).isEqualTo(3);
        assertThat(first.availableReplicas()).isZero();
        assertThat(first.unavailableReplicas()).isEqualTo(3);
        assertThat(first.condition("Progressing").reason()).isEqualTo(DeploymentStatuses.NEW_REPLICA_SET_CREATED);
        assertThat(first.condition("Progressing").message()).isEqualTo("Deployment \"web\" revision 1 is created.");
        assertThat(first.condition("Available").status()).isEqualTo("False");
        assertThat(first.condition("Available").message()).isEqualTo("Deployment does not have minimum availability.");
        assertThat(first.conditions()).extracting(DeploymentCondition::type).containsExactly("Available", "Progressing");

        r.start(1);
        r.reconcile();
        assertThat(progressing().reason()).isEqualTo(DeploymentStatuses.REPLICA_SET_UPDATED);
        assertThat(progressing().message()).isEqualTo("Deployment \"web\" revision 1 is progressing.");
        assertThat(r.status().readyReplicas()).isEqualTo(1);

        r.startAll(true);
        r.reconcile();
        assertThat(progressing().status()).isEqualTo("True");
        assertThat(progressing().reason()).isEqualTo(DeploymentStatuses.NEW_REPLICA_SET_AVAILABLE);
        assertThat(progressing().message()).isEqualTo("Deployment \"web\" revision 1 has successfully progressed.");
        assertThat(available().status()).isEqualTo("True");
        assertThat(available().reason()).isEqualTo(DeploymentStatuses.MINIMUM_REPLICAS_AVAILABLE);
        assertThat(available().message()).isEqualTo("Deployment has minimum availability.");
        assertThat(r.status().unavailableReplicas()).isZero();
    }

    @Test
    void nothingButTimesChangedPublishesNothing() {
        r.settled(2, 1, DeploymentSpec.Rollout.DEFAULT);
        r.advance(Duration.ofMinutes(30));
        assertThat(r.reconcile()).isEmpty();
        assertThat(r.reconcile()).isEmpty();
    }

    @Test
    void availableCountsWithinMaxUnavailable() {
        r.settled(4, 1, DeploymentSpec.Rollout.DEFAULT); // maxUnavailable 1
        r.apply(web(4, 2, DeploymentSpec.Rollout.DEFAULT));
        assertThat(r.status().availableReplicas()).isEqualTo(3);
        assertThat(available().status()).as("3 of 4 with 1 allowed missing").isEqualTo("True");
        assertThat(r.status().replicas()).isEqualTo(5);
        assertThat(r.status().updatedReplicas()).isEqualTo(2);
        assertThat(r.status().revision()).isEqualTo(2);
        assertThat(progressing().reason()).isEqualTo(DeploymentStatuses.NEW_REPLICA_SET_CREATED);
        assertThat(progressing().message()).isEqualTo("Deployment \"web\" revision 2 is created.");
    }

    @Test
    void noProgressForTheDeadlineTimesOutAndProgressRecovers() {
        r.settled(2, 1, DEADLINE_60);
        r.apply(web(2, 2, DEADLINE_60));
        Instant created = progressing().lastUpdateTime();
        r.startAll(false); // running, never ready
        r.advance(Duration.ofSeconds(59));
        assertThat(r.reconcile()).as("within the deadline").isEmpty();
        r.advance(Duration.ofSeconds(2));
        List<Event> timedOut = r.reconcile();
        assertThat(statuses(timedOut)).hasSize(1);
        assertThat(progressing().status()).isEqualTo("False");
        assertThat(progressing().reason()).isEqualTo(DeploymentStatuses.PROGRESS_DEADLINE_EXCEEDED);
        assertThat(progressing().message()).isEqualTo("Deployment \"web\" revision 2 has timed out progressing.");
        assertThat(progressing().lastTransitionTime()).isAfter(created);
        assertThat(Harness.podEvents(timedOut)).as("Kubernetes does not roll back or stop on a timeout").isEmpty();
        r.advance(Duration.ofMinutes(5));
        assertThat(r.reconcile()).as("timed out once").isEmpty();

        r.readyAll();
        r.reconcile();
        assertThat(progressing().status()).isEqualTo("True");
        assertThat(progressing().reason()).isIn(DeploymentStatuses.REPLICA_SET_UPDATED, DeploymentStatuses.NEW_REPLICA_SET_AVAILABLE);
        for (int i = 0; i < 5; i++) {
            r.stopDeleted();
            r.startAll(true);
            r.reconcile();
        }
        assertThat(progressing().reason()).isEqualTo(DeploymentStatuses.NEW_REPLICA_SET_AVAILABLE);
        assertThat(progressing().message()).isEqualTo("Deployment \"web\" revision 2 has successfully progressed.");
    }

    @Test
    void progressRenewsTheDeadline() {
        DeploymentSpec.Rollout slow = new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 0, 60, null, false);
        r.settled(3, 1, slow);
        r.apply(web(3, 2, slow));
        for (int i = 0; i < 3; i++) {
            r.advance(Duration.ofSeconds(50));
            r.stopDeleted();
            r.startAll(true);
            r.reconcile();
            assertThat(progressing().status()).as("step %d", i).isEqualTo("True");
        }
        assertThat(progressing().reason()).isEqualTo(DeploymentStatuses.NEW_REPLICA_SET_AVAILABLE);
    }

    @Test
    void progressingKeepsItsTransitionTimeWhileItProgresses() {
        r.settled(3, 1, rolling("1", "0"));
        r.apply(web(3, 2, rolling("1", "0")));
        r.startAll(true);
        r.reconcile();
        DeploymentCondition first = progressing();
        r.advance(Duration.ofSeconds(5));
        r.stopDeleted();
        r.startAll(true);
        r.reconcile();
        assertThat(progressing().reason()).isEqualTo(DeploymentStatuses.REPLICA_SET_UPDATED);
        assertThat(progressing().lastUpdateTime()).isAfter(first.lastUpdateTime());
        assertThat(progressing().lastTransitionTime()).isEqualTo(first.lastTransitionTime());
    }

    @Test
    void aCompleteRolloutStaysCompleteWhenAPodFails() {
        r.settled(2, 1, DeploymentSpec.Rollout.DEFAULT);
        r.report(r.live().get(0).name(), dev.berth.bus.contract.ContainerState.Failed, false);
        r.reconcile();
        assertThat(progressing().reason()).isEqualTo(DeploymentStatuses.NEW_REPLICA_SET_AVAILABLE);
        assertThat(r.status().availableReplicas()).isEqualTo(1);
    }

    @Test
    void aScaleKeepsTheRevisionAndObservesTheGeneration() {
        r.settled(2, 1, DeploymentSpec.Rollout.DEFAULT);
        r.scale(4);
        assertThat(r.status().revision()).isEqualTo(1);
        assertThat(r.status().observedGeneration()).isEqualTo(2);
        assertThat(r.deployment().revision()).isEqualTo(1);
        assertThat(r.deployment().history()).isEmpty();
    }

    @Test
    void aDeletedDeploymentHasNoStatusLeft() {
        r.settled(1, 1, DeploymentSpec.Rollout.DEFAULT);
        r.h.accepted(new dev.berth.bus.contract.DeleteDeployment("web"));
        assertThat(statuses(r.reconcile())).isEmpty();
        assertThat(r.h.state.deployment("web")).isEmpty();
    }
}
