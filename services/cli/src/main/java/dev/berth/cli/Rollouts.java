package dev.berth.cli;

import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code rollout undo|restart|pause|resume} and {@code set image} ask for: the deployment's current spec (folded
 * from the log) with one change, sent as an ordinary ApplyDeployment. Pure, so every verb's spec is testable; a change
 * kubectl refuses is a {@link Refused} in kubectl's words.
 */
final class Rollouts {
    private Rollouts() {}

    static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

    static final class Refused extends Exception {
        Refused(String message) { super(message); }
    }

    /** The spec to apply, or none ({@code spec} null) with what to print instead (a rollback to the current template). */
    record Change(DeploymentSpec spec, String message) {}

    /** kubectl's object reference in outputs: {@code deployment.apps/web}. */
    static String ref(String name) { return "deployment.apps/" + name; }

    /** kubectl's prefix for a refused object: {@code deployments.apps "web"}. */
    static String object(String name) { return "deployments.apps \"" + name + "\""; }

    /**
     * The current spec with revision {@code toRevision}'s template (0: the previous revision), and that revision's
     * change-cause, as kubectl copies a ReplicaSet's annotations back; a paused deployment is not rolled back.
     */
    static Change undo(ClusterView.DeploymentRow d, long toRevision) throws Refused {
        if (d.spec.rollout().paused()) {
            throw new Refused("you cannot rollback a paused deployment; resume it first with 'berth rollout resume' and try again");
        }
        List<ClusterView.Revision> history = d.history();
        ClusterView.Revision target = null;
        if (toRevision > 0) {
            for (ClusterView.Revision r : history) if (r.number() == toRevision) target = r;
            if (target == null) throw new Refused("unable to find specified revision " + toRevision + " in history");
        } else {
            for (ClusterView.Revision r : history) {
                if (r.number() != d.revision && (target == null || r.number() > target.number())) target = r;
            }
            if (target == null) throw new Refused("no rollout history found for deployment \"" + d.spec.name() + "\"");
        }
        if (target.template().equals(d.spec.template())) {
            return new Change(null, ref(d.spec.name()) + " skipped rollback (current template already matches revision " + target.number() + ")");
        }
        Map<String, String> annotations = new HashMap<>(d.spec.annotations());
        if (target.changeCause() == null) annotations.remove(DeploymentSpec.CHANGE_CAUSE);
        else annotations.put(DeploymentSpec.CHANGE_CAUSE, target.changeCause());
        return new Change(d.spec.withTemplate(target.template()).withAnnotations(annotations), ref(d.spec.name()) + " rolled back");
    }

    /** The template annotated {@code kubectl.kubernetes.io/restartedAt: now} (RFC 3339, seconds): a new revision. */
    static DeploymentSpec restart(DeploymentSpec s, Instant now) throws Refused {
        if (s.rollout().paused()) throw new Refused(object(s.name()) + " can't restart paused deployment (run rollout resume first)");
        Map<String, String> annotations = new LinkedHashMap<>(s.template().annotations());
        annotations.put(RESTARTED_AT, now.truncatedTo(ChronoUnit.SECONDS).toString());
        return s.withTemplate(s.template().withAnnotations(annotations));
    }

    static DeploymentSpec pause(DeploymentSpec s) throws Refused {
        if (s.rollout().paused()) throw new Refused(object(s.name()) + " is already paused");
        return s.withRollout(s.rollout().withPaused(true));
    }

    static DeploymentSpec resume(DeploymentSpec s) throws Refused {
        if (!s.rollout().paused()) throw new Refused(object(s.name()) + " is not paused");
        return s.withRollout(s.rollout().withPaused(false));
    }

    /**
     * {@code CONTAINER=IMAGE} assignments: Berth runs one container per pod and keeps no container name, so the
     * container is named after its deployment (as {@code get -o yaml} shows it); {@code *} names every container.
     */
    static DeploymentSpec setImage(DeploymentSpec s, List<String> assignments) throws Refused {
        if (assignments.isEmpty()) throw new Refused("at least one image update is required");
        String image = null;
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0 || eq == a.length() - 1) throw new Refused("expected CONTAINER=IMAGE, got '" + a + "'");
            String container = a.substring(0, eq);
            if (!container.equals("*") && !container.equals(s.name())) throw new Refused("unable to find container named \"" + container + "\"");
            image = a.substring(eq + 1);
        }
        return s.withTemplate(withImage(s.template(), image));
    }

    /** {@code t} running {@code image}. */
    static PodTemplate withImage(PodTemplate t, String image) {
        return new PodTemplate(image, t.command(), t.args(), t.env(), t.resources(), t.restartPolicy(),
                t.terminationGracePeriodSeconds(), t.nodeSelector(), t.tolerations(), t.imagePullPolicy(), t.labels(), t.ports(),
                t.readinessProbe(), t.workingDir(), t.securityContext(), t.livenessProbe(), t.startupProbe(), t.annotations());
    }
}
