package dev.berth.controller.core;

import static dev.berth.controller.core.RolloutDriver.v;
import static dev.berth.controller.core.RolloutDriver.web;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.Event;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Revisions as Kubernetes numbers ReplicaSets; the history; the rebuild from the log. */
class RevisionsTest {
    private final RolloutDriver r = new RolloutDriver();

    private static DeploymentSpec because(DeploymentSpec s, String cause) { return s.withAnnotations(Map.of(DeploymentSpec.CHANGE_CAUSE, cause)); }

    private long appliedRevision() {
        Event last = null;
        for (var env : r.h.log) if (env.data() instanceof DeploymentApplied a) last = a;
        return ((DeploymentApplied) last).revision();
    }

    @Test
    void eachNewTemplateGetsTheNextRevision() {
        r.apply(web(2, 1, DeploymentSpec.Rollout.DEFAULT));
        assertThat(appliedRevision()).isEqualTo(1);
        r.apply(web(2, 2, DeploymentSpec.Rollout.DEFAULT));
        assertThat(appliedRevision()).isEqualTo(2);
        r.apply(web(3, 2, DeploymentSpec.Rollout.DEFAULT));
        assertThat(appliedRevision()).as("replicas only: the same template").isEqualTo(2);
        assertThat(r.deployment().history()).extracting(Revision::number).containsExactly(1L);
        assertThat(r.deployment().history().get(0).template()).isEqualTo(v(1));
    }

    @Test
    void aRollbackTakesANewNumberAndItsOldEntryGoes() {
        r.apply(because(web(2, 1, DeploymentSpec.Rollout.DEFAULT), "first"));
        r.apply(because(web(2, 2, DeploymentSpec.Rollout.DEFAULT), "second"));
        r.apply(because(web(2, 3, DeploymentSpec.Rollout.DEFAULT), "third"));
        r.apply(because(web(2, 1, DeploymentSpec.Rollout.DEFAULT), "back to first"));
        assertThat(appliedRevision()).isEqualTo(4);
        assertThat(r.deployment().revision()).isEqualTo(4);
        assertThat(r.deployment().history()).extracting(Revision::number).containsExactly(2L, 3L);
        assertThat(r.deployment().history()).extracting(Revision::changeCause).containsExactly("second", "third");
        assertThat(Harness.created(r.reconcile())).allSatisfy(c -> assertThat(c.revision()).isEqualTo(4));
    }

    @Test
    void theHistoryKeepsRevisionHistoryLimitOldOnes() {
        DeploymentSpec.Rollout two = new DeploymentSpec.Rollout(DeploymentStrategy.DEFAULT, 0, null, 2, false);
        for (int version = 1; version <= 5; version++) r.apply(web(1, version, two));
        assertThat(r.deployment().revision()).isEqualTo(5);
        assertThat(r.deployment().history()).extracting(Revision::number).containsExactly(3L, 4L);
        DeploymentSpec.Rollout none = new DeploymentSpec.Rollout(DeploymentStrategy.DEFAULT, 0, null, 0, false);
        r.apply(web(1, 5, none));
        assertThat(r.deployment().history()).as("a lower limit prunes at once").isEmpty();
    }

    @Test
    void aChangeCauseAloneIsANewGenerationNotANewRevision() {
        r.apply(web(1, 1, DeploymentSpec.Rollout.DEFAULT));
        r.apply(because(web(1, 1, DeploymentSpec.Rollout.DEFAULT), "annotated"));
        assertThat(r.deployment().generation()).isEqualTo(2);
        assertThat(r.deployment().revision()).isEqualTo(1);
        assertThat(Harness.podEvents(r.reconcile())).isEmpty();
    }

    @Test
    void aRecreatedDeploymentStartsAtRevisionOne() {
        r.apply(web(1, 1, DeploymentSpec.Rollout.DEFAULT));
        r.apply(web(1, 2, DeploymentSpec.Rollout.DEFAULT));
        r.h.accepted(new dev.berth.bus.contract.DeleteDeployment("web"));
        r.apply(web(1, 3, DeploymentSpec.Rollout.DEFAULT));
        assertThat(appliedRevision()).isEqualTo(1);
    }

    @Test
    void eventsFromBeforeRevisionsGetTheNumbersTheControllerWouldHaveGiven() {
        ControllerState s = EventAppliers.applyAll(ControllerState.empty(), java.util.List.of(
                new DeploymentApplied(web(1, 1, DeploymentSpec.Rollout.DEFAULT), 1),
                new DeploymentApplied(web(2, 1, DeploymentSpec.Rollout.DEFAULT), 2),
                new DeploymentApplied(web(2, 2, DeploymentSpec.Rollout.DEFAULT), 3)), Harness.T0);
        assertThat(s.deployment("web").orElseThrow().revision()).isEqualTo(2);
        assertThat(s.deployment("web").orElseThrow().history()).extracting(Revision::number).containsExactly(1L);
    }

    // ---- rebuild ----

    @Test
    void aRebuildFromTheLogMidRolloutEqualsTheLiveStateAndDecidesNothing() {
        DeploymentSpec.Rollout slow = new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 5, 60, 3, false);
        r.settled(3, 1, slow);
        r.advance(java.time.Duration.ofSeconds(6));
        r.reconcile();
        r.apply(because(web(3, 2, slow), "v2"));
        r.startAll(true);
        r.reconcile();
        r.apply(web(3, 1, slow)); // a rollback mid-rollout
        r.startAll(false);
        r.reconcile();

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), r.h.log);
        assertThat(rebuilt).isEqualTo(r.h.state);
        assertThat(rebuilt.deployment("web").orElseThrow().status()).isEqualTo(r.status());
        assertThat(rebuilt.deployment("web").orElseThrow().history()).isEqualTo(r.deployment().history());
        assertThat(Reconciler.reconcile(rebuilt, r.h.now).outputs()).as("no pod and no status again").isEmpty();
    }

    /** The log as the broker would hand it back: each envelope encoded as JSON and admitted as the live loop admits it. */
    private java.util.List<dev.berth.bus.Envelope> throughJson() {
        java.util.List<dev.berth.bus.Envelope> decoded = new java.util.ArrayList<>();
        long offset = 0;
        for (dev.berth.bus.Envelope env : r.h.log) {
            Event e = (Event) env.data();
            String topic = e instanceof dev.berth.bus.contract.PodStatusChanged ? dev.berth.bus.Topic.POD_STATUS.topicName()
                    : e instanceof dev.berth.bus.contract.NodeHeartbeat ? dev.berth.bus.Topic.NODE_HEARTBEATS.topicName()
                    : Outputs.route(e).topic().topicName();
            String json = dev.berth.bus.Json.encode(env);
            dev.berth.bus.RawRecord raw = new dev.berth.bus.RawRecord(topic, 0, offset++, env.time().toEpochMilli(),
                    dev.berth.bus.Topic.byName(topic).keyOf(env.data()), json, json.length());
            try {
                decoded.add(dev.berth.bus.ServiceLoop.admit(raw, java.util.Set.of(), dev.berth.bus.RecordLimits.defaults()));
            } catch (dev.berth.bus.BadRecordException ex) {
                throw new AssertionError(ex);
            }
        }
        return decoded;
    }

    @Test
    void statusesRevisionsAndReadyTimesSurviveTheirJson() {
        DeploymentSpec.Rollout slow = new DeploymentSpec.Rollout(DeploymentStrategy.rolling("25%", "25%"), 3, 30, 2, false);
        r.settled(4, 1, slow);
        r.apply(because(web(4, 2, slow), "v2"));
        r.startAll(true);
        r.advance(java.time.Duration.ofSeconds(4));
        r.reconcile();
        r.apply(web(4, 3, slow.withPaused(true)));

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), throughJson());
        assertThat(rebuilt).isEqualTo(r.h.state);
        assertThat(Reconciler.reconcile(rebuilt, r.h.now).outputs()).isEmpty();
    }

    @Test
    void aRebuildKeepsTheProgressDeadline() {
        DeploymentSpec.Rollout deadline = new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 0, 60, null, false);
        r.settled(2, 1, deadline);
        r.apply(web(2, 2, deadline));
        r.startAll(false);
        r.advance(java.time.Duration.ofSeconds(40));
        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), r.h.log);
        assertThat(Reconciler.reconcile(rebuilt, r.h.now).outputs()).isEmpty();
        var later = Reconciler.reconcile(rebuilt, r.h.now.plusSeconds(21));
        assertThat(RolloutDriver.statuses(later.outputs().stream().map(o -> (Event) o.payload()).toList()))
                .singleElement().satisfies(s -> assertThat(s.condition("Progressing").reason()).isEqualTo(DeploymentStatuses.PROGRESS_DEADLINE_EXCEEDED));
    }
}
