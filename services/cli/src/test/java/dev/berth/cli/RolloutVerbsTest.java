package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.Envelope;
import dev.berth.bus.Samples;
import dev.berth.bus.contract.DeploymentApplied;
import dev.berth.bus.contract.DeploymentScaled;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The spec each rollout verb sends (the current one folded from the log, one change) and rollout history's output. */
class RolloutVerbsTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    final ClusterView view = new ClusterView();

    void at(int second, Payload p) { view.apply(Envelope.spontaneous(p, "test", T0.plusSeconds(second))); }

    static PodTemplate template(String image) { return Rollouts.withImage(Samples.template().withLabels(Map.of("app", "web")), image); }

    static DeploymentSpec web(String image, String cause) {
        DeploymentSpec s = new DeploymentSpec("web", 3, template(image), Map.of(), null, "shop");
        return cause == null ? s : s.withAnnotations(Map.of(DeploymentSpec.CHANGE_CAUSE, cause));
    }

    ClusterView.DeploymentRow web() { return view.deployment("shop", "web"); }

    /** Revisions 1 (1.24), 2 (1.25), 3 (1.26); an autoscaler then scaled it to 5. */
    void threeRevisions() {
        at(0, new DeploymentApplied(web("nginx:1.24", null), 1, 1));
        at(10, new DeploymentApplied(web("nginx:1.25", "set image 1.25"), 2, 2));
        at(20, new DeploymentApplied(web("nginx:1.26", "set image 1.26"), 3, 3));
        at(30, new DeploymentScaled("web", 5, 4, "shop", "cpu above target"));
    }

    @Test
    void historyListsRevisionsWithTheirChangeCause() throws Exception {
        threeRevisions();
        assertThat(RolloutHistory.render(web(), 0)).isEqualTo("""
                deployment.apps/web
                REVISION   CHANGE-CAUSE
                1          <none>
                2          set image 1.25
                3          set image 1.26
                """);
        assertThat(RolloutHistory.render(web(), 2)).startsWith("deployment.apps/web with revision #2\nPod Template:\n  Labels:       app=web\n")
                .contains("    Image:        nginx:1.25\n");
        assertThatThrownBy(() -> RolloutHistory.render(web(), 9)).hasMessage("unable to find the specified revision");
    }

    @Test
    void historyKeepsRevisionHistoryLimitOldOnesAndARollbackRenumbers() throws Exception {
        threeRevisions();
        at(40, new DeploymentApplied(web("nginx:1.24", null), 5, 4)); // rollback to revision 1: it becomes 4
        assertThat(web().history().stream().map(ClusterView.Revision::number).toList()).containsExactly(2L, 3L, 4L);
        DeploymentSpec limited = web("nginx:1.27", null).withRollout(new DeploymentSpec.Rollout(null, 0, null, 1, false));
        at(50, new DeploymentApplied(limited, 6, 5));
        assertThat(RolloutHistory.render(web(), 0)).isEqualTo("deployment.apps/web\nREVISION   CHANGE-CAUSE\n4          <none>\n5          <none>\n");
        assertThatThrownBy(() -> Rollouts.undo(web(), 3)).hasMessage("unable to find specified revision 3 in history");
    }

    @Test
    void undoTakesThePreviousRevisionsTemplateAndChangeCauseKeepingTheRest() throws Exception {
        threeRevisions();
        Rollouts.Change back = Rollouts.undo(web(), 0);
        assertThat(back.message()).isEqualTo("deployment.apps/web rolled back");
        assertThat(back.spec()).isEqualTo(web("nginx:1.25", "set image 1.25").withReplicas(5));

        Rollouts.Change first = Rollouts.undo(web(), 1);
        assertThat(first.spec().template().image()).isEqualTo("nginx:1.24");
        assertThat(first.spec().annotations()).doesNotContainKey(DeploymentSpec.CHANGE_CAUSE);
        assertThat(first.spec().namespace()).isEqualTo("shop");

        Rollouts.Change same = Rollouts.undo(web(), 3);
        assertThat(same.spec()).isNull();
        assertThat(same.message()).isEqualTo("deployment.apps/web skipped rollback (current template already matches revision 3)");
        assertThatThrownBy(() -> Rollouts.undo(web(), 7)).hasMessage("unable to find specified revision 7 in history");
    }

    @Test
    void undoWithoutHistoryOrWhilePausedIsRefused() throws Exception {
        at(0, new DeploymentApplied(web("nginx:1.24", null), 1, 1));
        assertThatThrownBy(() -> Rollouts.undo(web(), 0)).hasMessage("no rollout history found for deployment \"web\"");
        at(1, new DeploymentApplied(Rollouts.pause(web().spec), 2, 1));
        assertThatThrownBy(() -> Rollouts.undo(web(), 0))
                .hasMessage("you cannot rollback a paused deployment; resume it first with 'berth rollout resume' and try again");
    }

    @Test
    void restartAnnotatesTheTemplateWithNowInRfc3339() throws Exception {
        threeRevisions();
        DeploymentSpec restarted = Rollouts.restart(web().spec, Instant.parse("2026-12-02T13:37:42.123Z"));
        assertThat(restarted.template().annotations()).isEqualTo(Map.of(Rollouts.RESTARTED_AT, "2026-12-02T13:37:42Z"));
        assertThat(restarted.template().image()).isEqualTo("nginx:1.26");
        assertThat(restarted.replicas()).isEqualTo(5);
        assertThat(restarted.withTemplate(web().spec.template())).isEqualTo(web().spec);
        assertThatThrownBy(() -> Rollouts.restart(Rollouts.pause(web().spec), T0))
                .hasMessage("deployments.apps \"web\" can't restart paused deployment (run rollout resume first)");
    }

    @Test
    void pauseAndResumeFlipRolloutPausedOnly() throws Exception {
        DeploymentSpec s = web("nginx:1.26", "x").withRollout(new DeploymentSpec.Rollout(DeploymentStrategy.recreate(), 3, 60, 2, false));
        DeploymentSpec paused = Rollouts.pause(s);
        assertThat(paused).isEqualTo(s.withRollout(new DeploymentSpec.Rollout(DeploymentStrategy.recreate(), 3, 60, 2, true)));
        assertThat(Rollouts.resume(paused)).isEqualTo(s);
        assertThatThrownBy(() -> Rollouts.pause(paused)).hasMessage("deployments.apps \"web\" is already paused");
        assertThatThrownBy(() -> Rollouts.resume(s)).hasMessage("deployments.apps \"web\" is not paused");
    }

    @Test
    void setImageNamesTheContainerAfterItsDeploymentOrStar() throws Exception {
        DeploymentSpec s = web("nginx:1.26", "x");
        assertThat(Rollouts.setImage(s, List.of("web=nginx:1.27"))).isEqualTo(s.withTemplate(template("nginx:1.27")));
        assertThat(Rollouts.setImage(s, List.of("*=registry.local/nginx@sha256:abc")).template().image()).isEqualTo("registry.local/nginx@sha256:abc");
        assertThatThrownBy(() -> Rollouts.setImage(s, List.of("nginx=nginx:1.27"))).hasMessage("unable to find container named \"nginx\"");
        assertThatThrownBy(() -> Rollouts.setImage(s, List.of("web"))).hasMessage("expected CONTAINER=IMAGE, got 'web'");
    }

    @Test
    void theVerbsParseLikeKubectls() {
        CommandLine cli = new CommandLine(new Berth());
        var status = cli.parseArgs("rollout", "status", "deployment/web", "-n", "shop", "--timeout", "90s", "--watch=false", "--revision", "3");
        RolloutCommand.Status s = (RolloutCommand.Status) status.subcommand().subcommand().commandSpec().userObject();
        assertThat(List.of(s.ref(), s.namespaces.namespace(), s.timeout, s.revision, s.watch)).containsExactly("deployment/web", "shop", "90s", 3L, false);
        RolloutCommand.Status d = (RolloutCommand.Status) new CommandLine(new Berth()).parseArgs("rollout", "status", "deployment", "web")
                .subcommand().subcommand().commandSpec().userObject();
        assertThat(List.of(d.ref(), d.watch, d.timeout)).containsExactly("deployment/web", true, "0s");
        RolloutCommand.Undo u = (RolloutCommand.Undo) new CommandLine(new Berth()).parseArgs("rollout", "undo", "deploy/web", "--to-revision=2")
                .subcommand().subcommand().commandSpec().userObject();
        assertThat(u.toRevision).isEqualTo(2);
        SetCommand.Image i = (SetCommand.Image) new CommandLine(new Berth()).parseArgs("set", "image", "deployment/web", "web=nginx:1.27")
                .subcommand().subcommand().commandSpec().userObject();
        assertThat(i.images).containsExactly("web=nginx:1.27");
        for (String verb : List.of("history", "restart", "pause", "resume")) {
            assertThat(new CommandLine(new Berth()).parseArgs("rollout", verb, "deployment/web").subcommand().subcommand().commandSpec().name()).isEqualTo(verb);
        }
    }
}
