package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentCondition;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rollout status over synthetic event streams: kubectl's messages in order, the deadline, the timeout. */
class RolloutStatusTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    static PodTemplate template(String image) { return Rollouts.withImage(Samples.template().withLabels(Map.of("app", "web")), image); }

    static DeploymentSpec web(String image) { return new DeploymentSpec("web", 3, template(image)); }

    static Envelope at(int second, Payload p) { return Envelope.spontaneous(p, "test", T0.plusSeconds(second)); }

    static DeploymentStatusChanged status(long generation, long revision, int replicas, int updated, int available, String progressing) {
        return new DeploymentStatusChanged("web", null, generation, revision, replicas, updated, available, available, Math.max(0, 3 - available),
                List.of(new DeploymentCondition(DeploymentCondition.AVAILABLE, "True", "MinimumReplicasAvailable", null, T0, T0),
                        new DeploymentCondition(DeploymentCondition.PROGRESSING, progressing.equals("ProgressDeadlineExceeded") ? "False" : "True",
                                progressing, null, T0, T0)));
    }

    /** What the command prints for the log folded so far ({@code history}), then each new record with its time. */
    record Run(List<String> out, List<String> err, Integer exit) {}

    static Run run(List<Envelope> history, List<Envelope> following, long revision, Instant deadline, boolean watch) {
        ClusterView view = new ClusterView();
        history.forEach(view::apply);
        RolloutStatus.Follower f = new RolloutStatus.Follower(view, "default", "web", revision, deadline, watch);
        List<String> out = new ArrayList<>(), err = new ArrayList<>();
        RolloutStatus.Step step = f.check(T0.plusSeconds(100));
        for (int i = 0; ; i++) {
            out.addAll(step.out());
            if (step.error() != null) err.add(step.error());
            if (step.exit() != null || i == following.size()) return new Run(out, err, step.exit());
            Envelope e = following.get(i);
            f.apply(e);
            step = f.check(e.time());
        }
    }

    /** Revision 1 rolled out, then an image change to revision 2, rolled one pod at a time (maxSurge 1, maxUnavailable 0). */
    static final List<Envelope> ROLLED_OUT = List.of(at(0, new DeploymentApplied(web("nginx:1.25"), 1, 1)),
            at(5, status(1, 1, 3, 3, 3, "NewReplicaSetAvailable")));

    static final List<Envelope> ROLLING = List.of(
            at(101, new DeploymentApplied(web("nginx:1.26"), 2, 2)),
            at(102, status(2, 2, 4, 1, 3, "ReplicaSetUpdated")),
            at(103, status(2, 2, 4, 1, 3, "ReplicaSetUpdated")), // a repeat prints nothing
            at(110, status(2, 2, 4, 2, 3, "ReplicaSetUpdated")),
            at(120, status(2, 2, 4, 3, 3, "ReplicaSetUpdated")),
            at(121, status(2, 2, 3, 3, 2, "ReplicaSetUpdated")),
            at(130, status(2, 2, 3, 3, 3, "NewReplicaSetAvailable")),
            at(131, new DeploymentDeleted("web", 3)));

    @Test
    void followsARollingUpdateWithKubectlsMessagesUntilItIsDone() {
        Run r = run(ROLLED_OUT, ROLLING, 0, null, true);
        // Asked before the new spec is in the log, the old rollout is complete and it stops there, as kubectl; ask mid-rollout.
        assertThat(r.out()).containsExactly("deployment \"web\" successfully rolled out");
        assertThat(r.exit()).isZero();

        List<Envelope> history = new ArrayList<>(ROLLED_OUT);
        history.add(ROLLING.get(0));
        Run mid = run(history, ROLLING.subList(1, ROLLING.size()), 0, null, true);
        assertThat(mid.out()).containsExactly(
                "Waiting for deployment spec update to be observed...",
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 2 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...",
                "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...",
                "deployment \"web\" successfully rolled out");
        assertThat(mid.err()).isEmpty();
        assertThat(mid.exit()).isZero();
    }

    @Test
    void aPassedProgressDeadlineEndsTheWaitWithExitOne() {
        List<Envelope> history = new ArrayList<>(ROLLED_OUT);
        history.add(ROLLING.get(0));
        Run r = run(history, List.of(at(102, status(2, 2, 4, 1, 3, "ReplicaSetUpdated")),
                at(700, status(2, 2, 4, 1, 3, "ProgressDeadlineExceeded"))), 0, null, true);
        assertThat(r.out()).containsExactly("Waiting for deployment spec update to be observed...",
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
        assertThat(r.err()).containsExactly("error: deployment \"web\" exceeded its progress deadline");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void theTimeoutEndsTheWaitWithExitOne() {
        List<Envelope> history = new ArrayList<>(ROLLED_OUT);
        history.add(ROLLING.get(0));
        Run r = run(history, ROLLING.subList(1, ROLLING.size()), 0, T0.plusSeconds(115), true);
        assertThat(r.out()).containsExactly("Waiting for deployment spec update to be observed...",
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 2 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...");
        assertThat(r.err()).containsExactly("error: timed out waiting for the condition");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void withoutWatchItJudgesOnceAndExitsZero() {
        List<Envelope> history = new ArrayList<>(ROLLED_OUT);
        history.addAll(ROLLING.subList(0, 2));
        Run r = run(history, ROLLING.subList(2, ROLLING.size()), 0, null, false);
        assertThat(r.out()).containsExactly("Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...");
        assertThat(r.exit()).isZero();
    }

    @Test
    void aRevisionOtherThanTheCurrentOneIsAnError() {
        Run r = run(ROLLED_OUT, List.of(), 2, null, true);
        assertThat(r.err()).containsExactly("error: desired revision (2) is different from the running revision (1)");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void anUnknownOrDeletedDeployment() {
        Run missing = run(List.of(), List.of(), 0, null, true);
        assertThat(missing.err()).containsExactly("Error from server (NotFound): deployments.apps \"web\" not found");
        assertThat(missing.exit()).isEqualTo(1);

        List<Envelope> history = new ArrayList<>(ROLLED_OUT);
        history.addAll(ROLLING.subList(0, 2));
        Run deleted = run(history, List.of(ROLLING.get(ROLLING.size() - 1)), 0, null, true);
        assertThat(deleted.err()).containsExactly("error: object has been deleted");
        assertThat(deleted.exit()).isEqualTo(1);
    }

    @Test
    void olderLogsWithoutStatusesAreJudgedFromThePods() {
        List<Envelope> log = new ArrayList<>(List.of(at(0, new DeploymentApplied(web("nginx:1.25"), 1, 1))));
        List<Envelope> pods = new ArrayList<>();
        for (String pod : List.of("web-a", "web-b", "web-c")) {
            pods.add(at(1, new PodCreated(pod, "web", 1, template("nginx:1.25"), null, 1)));
            pods.add(at(2, new PodPlaced(pod, "node-1", "web", template("nginx:1.25"), 1, Map.of(), List.of())));
            pods.add(at(3, new PodStatusChanged(pod, "node-1", ContainerState.Running, null, "Started", "", 0)));
        }
        Run r = run(log, pods, 0, null, true);
        assertThat(r.out()).containsExactly(
                "Waiting for deployment \"web\" rollout to finish: 0 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 2 out of 3 new replicas have been updated...",
                "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...",
                "deployment \"web\" successfully rolled out");
        assertThat(r.exit()).isZero();
    }

    @Test
    void timeoutsAreGoDurationsAsKubectlTakesThem() {
        assertThat(RolloutStatus.timeout("0s")).isEqualTo(java.time.Duration.ZERO);
        assertThat(RolloutStatus.timeout("90s")).hasSeconds(90);
        assertThat(RolloutStatus.timeout("1m30s")).hasSeconds(90);
        assertThat(RolloutStatus.timeout("1h")).hasSeconds(3600);
        assertThat(RolloutStatus.timeout("500ms")).hasMillis(500);
        assertThat(RolloutStatus.timeout("45")).hasSeconds(45);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RolloutStatus.timeout("soon"))
                .hasMessage("invalid argument \"soon\" for \"--timeout\" flag: expected a duration like 90s, 5m or 1m30s");
    }
}
