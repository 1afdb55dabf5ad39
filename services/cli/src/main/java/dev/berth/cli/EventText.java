package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.*;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/** Events in words, for `berth events` and `berth why`: which object each is about and what it says. */
final class EventText {
    private EventText() {}

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    /** {@code kind/name} of the object an event is about, e.g. {@code pod/web-7d4kq}; its namespace is {@link #namespace}'s answer. */
    static String object(Payload p) {
        if (p instanceof ApplyDeployment c) return "deployment/" + (c.target() == null ? null : Namespaces.nameOf(c.target()));
        if (p instanceof ScaleDeployment c) return "deployment/" + c.name();
        if (p instanceof DeleteDeployment c) return "deployment/" + c.name();
        if (p instanceof ApplyNamespace c) return "namespace/" + c.name();
        if (p instanceof DeleteNamespace c) return "namespace/" + c.name();
        if (p instanceof ApplyService c) return "service/" + (c.service() == null ? null : c.service().name());
        if (p instanceof DeleteService c) return "service/" + c.name();
        if (p instanceof ServiceEvent e) return "service/" + e.name();
        if (p instanceof ApplyHorizontalPodAutoscaler c) return "hpa/" + (c.autoscaler() == null ? null : c.autoscaler().name());
        if (p instanceof DeleteHorizontalPodAutoscaler c) return "hpa/" + c.name();
        if (p instanceof HorizontalPodAutoscalerEvent e) return "hpa/" + e.name();
        if (p instanceof HorizontalPodAutoscalerStatus s) return "hpa/" + s.name();
        if (p instanceof Endpoints e) return "endpoints/" + e.name();
        if (p instanceof ApplyConfigMap c) return "configmap/" + (c.configMap() == null ? null : c.configMap().name());
        if (p instanceof DeleteConfigMap c) return "configmap/" + c.name();
        if (p instanceof ConfigMapEvent e) return "configmap/" + e.name();
        if (p instanceof ApplySecret c) return "secret/" + (c.secret() == null ? null : c.secret().name());
        if (p instanceof DeleteSecret c) return "secret/" + c.name();
        if (p instanceof SecretEvent e) return "secret/" + e.name();
        if (p instanceof dev.berth.bus.contract.ApplyJob c) return "job/" + (c.job() == null ? null : c.job().name());
        if (p instanceof dev.berth.bus.contract.DeleteJob c) return "job/" + c.name();
        if (p instanceof dev.berth.bus.contract.JobEvent e) return "job/" + e.name();
        if (p instanceof CordonNode c) return "node/" + c.node();
        if (p instanceof UncordonNode c) return "node/" + c.node();
        if (p instanceof DrainNode c) return "node/" + c.node();
        if (p instanceof CommandAccepted r) return kindOf(r.commandType()) + targetName(r.commandType(), r.target());
        if (p instanceof CommandRejected r) {
            return r.target() == null ? "command/" + r.commandId() : kindOf(r.commandType()) + targetName(r.commandType(), r.target());
        }
        if (p instanceof DeploymentEvent e) return "deployment/" + e.name();
        if (p instanceof NamespaceEvent e) return "namespace/" + e.name();
        if (p instanceof PodEvent e) return "pod/" + e.pod();
        if (p instanceof dev.berth.bus.contract.PodIntruderFound e) return "pod/" + e.pod(); // why pod/NAME shows it
        if (p instanceof NodeEvent e) return "node/" + e.node();
        return "?";
    }

    private static String kindOf(String commandType) {
        if (commandType != null && commandType.endsWith("Namespace")) return "namespace/";
        if (commandType != null && commandType.endsWith("Service")) return "service/";
        if (commandType != null && commandType.endsWith("HorizontalPodAutoscaler")) return "hpa/";
        if (commandType != null && commandType.endsWith("ConfigMap")) return "configmap/";
        if (commandType != null && commandType.endsWith("Secret")) return "secret/";
        if (commandType != null && commandType.endsWith("Job")) return "job/";
        return commandType != null && commandType.endsWith("Node") ? "node/" : "deployment/";
    }

    /** Deployments and Services are namespaced: their commands' targets are keys (namespace/name). */
    private static boolean aboutDeployment(String commandType) {
        return java.util.Set.of("deployment/", "service/", "hpa/", "configmap/", "secret/", "job/").contains(kindOf(commandType));
    }

    /** A deployment command's target is its key (namespace/name): the name alone, its namespace goes in its own column. */
    private static String targetName(String commandType, String target) {
        return aboutDeployment(commandType) ? Namespaces.nameOf(target) : target;
    }

    /**
     * The namespace of the object an event is about, or null for cluster-wide objects (nodes,
     * namespaces, heartbeats). {@code podNamespace} answers for pod events that carry none (statuses,
     * releases): what the pod's PodCreated said, or null when unknown.
     */
    static String namespace(Payload p, java.util.function.Function<String, String> podNamespace) {
        if (p instanceof ApplyDeployment c) return c.deployment() == null ? Namespaces.DEFAULT : c.deployment().namespace();
        if (p instanceof ScaleDeployment c) return c.namespace();
        if (p instanceof DeleteDeployment c) return c.namespace();
        if (p instanceof ApplyService c) return c.service() == null ? Namespaces.DEFAULT : c.service().namespace();
        if (p instanceof DeleteService c) return Namespaces.orDefault(c.namespace());
        if (p instanceof ServiceEvent e) return e.namespace();
        if (p instanceof Endpoints e) return e.namespace();
        if (p instanceof ApplyHorizontalPodAutoscaler c) return c.autoscaler() == null ? Namespaces.DEFAULT : c.autoscaler().namespace();
        if (p instanceof DeleteHorizontalPodAutoscaler c) return c.namespace();
        if (p instanceof HorizontalPodAutoscalerEvent e) return e.namespace();
        if (p instanceof HorizontalPodAutoscalerStatus s) return s.namespace();
        if (p instanceof ApplyConfigMap c) return c.configMap() == null ? Namespaces.DEFAULT : c.configMap().namespace();
        if (p instanceof DeleteConfigMap c) return c.namespace();
        if (p instanceof ConfigMapEvent e) return e.namespace();
        if (p instanceof ApplySecret c) return c.secret() == null ? Namespaces.DEFAULT : c.secret().namespace();
        if (p instanceof DeleteSecret c) return c.namespace();
        if (p instanceof SecretEvent e) return e.namespace();
        if (p instanceof dev.berth.bus.contract.ApplyJob c) return c.job() == null ? Namespaces.DEFAULT : c.job().namespace();
        if (p instanceof dev.berth.bus.contract.DeleteJob c) return Namespaces.orDefault(c.namespace());
        if (p instanceof dev.berth.bus.contract.JobEvent e) return e.namespace();
        if (p instanceof CommandAccepted r) return aboutDeployment(r.commandType()) && r.target() != null ? Namespaces.namespaceOf(r.target()) : null;
        if (p instanceof CommandRejected r) return aboutDeployment(r.commandType()) && r.target() != null ? Namespaces.namespaceOf(r.target()) : null;
        if (p instanceof DeploymentEvent e) return e.namespace();
        if (p instanceof PodCreated e) return e.namespace();
        if (p instanceof PodDeletionRequested e) return e.namespace();
        if (p instanceof PodLost e) return e.namespace();
        if (p instanceof PodPlaced e) return e.namespace();
        if (p instanceof PodEvent e) {
            String ns = podNamespace.apply(e.pod());
            return ns == null ? Namespaces.DEFAULT : ns;
        }
        return null;
    }

    /** Learns pods' namespaces from the events that carry them, for those that do not. */
    static final class PodNamespaces implements java.util.function.Function<String, String> {
        private final java.util.Map<String, String> byPod = new java.util.HashMap<>();

        void learn(Payload p) {
            if (p instanceof PodCreated e) byPod.put(e.pod(), e.namespace());
            else if (p instanceof PodPlaced e) byPod.putIfAbsent(e.pod(), e.namespace());
        }

        @Override
        public String apply(String pod) { return byPod.get(pod); }
    }

    /** What the event says, in one line. */
    static String message(Payload p) {
        if (p instanceof ApplyDeployment c) {
            DeploymentSpec d = c.deployment();
            return "apply: " + d.replicas() + " replicas of " + d.template().image() + " (" + ResourceText.brief(d.template().resources()) + ")";
        }
        if (p instanceof ScaleDeployment c) return "scale to " + c.replicas() + (c.replicas() == 1 ? " replica" : " replicas") + because(c.reason());
        if (p instanceof DeleteDeployment c) return "delete";
        if (p instanceof ApplyNamespace c) return "create namespace";
        if (p instanceof DeleteNamespace c) return "delete namespace and everything in it";
        if (p instanceof NamespaceApplied e) return "namespace created";
        if (p instanceof NamespaceDeleted e) return "terminating: its deployments are deleted, it is gone once their pods stopped";
        if (p instanceof ApplyService c) return "apply: " + c.service().type() + " " + ServiceTables.ports(c.service())
                + (c.service().selector().isEmpty() ? ", no selector" : " for pods " + Selection.column(c.service().selector()));
        if (p instanceof DeleteService c) return "delete";
        if (p instanceof ServiceApplied e) return "desired: " + e.service().type() + " " + ServiceTables.ports(e.service()) + " on "
                + (e.service().clusterIP() == null ? "<pending>" : e.service().clusterIP());
        if (p instanceof ServiceDeleted e) return "deleted, its cluster IP and nodePorts are free";
        if (p instanceof Endpoints e) return e.ready() + " ready of " + e.endpoints().size() + " endpoints"
                + (e.ready() > 0 ? ": " + String.join(",", ServiceTables.addressList(e.endpoints().stream().filter(EndpointAddress::ready).toList())) : "");
        // A Secret's values are never shown: its keys are.
        if (p instanceof ApplyConfigMap c) return "apply: keys " + keys(c.configMap().data().keySet(), c.configMap().binaryData().keySet());
        if (p instanceof ConfigMapApplied e) return "desired: keys " + keys(e.configMap().data().keySet(), e.configMap().binaryData().keySet())
                + (e.configMap().immutable() ? ", immutable" : "");
        if (p instanceof ApplySecret c) return "apply: " + c.secret().type() + ", keys " + keys(c.secret().data().keySet(), java.util.Set.of());
        if (p instanceof SecretApplied e) return "desired: " + e.secret().type() + ", keys " + keys(e.secret().data().keySet(), java.util.Set.of())
                + (e.secret().immutable() ? ", immutable" : "");
        if (p instanceof DeleteConfigMap || p instanceof DeleteSecret) return "delete";
        if (p instanceof ConfigMapDeleted || p instanceof SecretDeleted) return "deleted";
        if (p instanceof dev.berth.bus.contract.ApplyJob c) return "apply: " + c.job().completions() + " completions, parallelism "
                + c.job().parallelism() + " of " + c.job().template().image();
        if (p instanceof dev.berth.bus.contract.DeleteJob c) return "delete";
        if (p instanceof dev.berth.bus.contract.JobApplied e) return "desired: " + e.job().completions() + " completions, parallelism "
                + e.job().parallelism() + ", backoffLimit " + e.job().backoffLimit() + ", generation " + e.generation();
        if (p instanceof dev.berth.bus.contract.JobStatusChanged e) {
            String finished = e.conditions().isEmpty() ? "" : ": " + e.conditions().get(0).type() + " (" + e.conditions().get(0).reason() + ")";
            return e.active() + " active, " + e.succeeded() + " succeeded, " + e.failed() + " failed" + finished;
        }
        if (p instanceof dev.berth.bus.contract.JobDeleted e) return "deleted with its pods: " + e.reason();
        if (p instanceof CordonNode c) return "cordon";
        if (p instanceof UncordonNode c) return "uncordon";
        if (p instanceof DrainNode c) return "drain";
        if (p instanceof CommandAccepted r) return "accepted: " + r.message();
        if (p instanceof CommandRejected r) return "rejected: " + r.reason() + (r.problems().isEmpty() ? "" : " " + r.problems());
        if (p instanceof DeploymentApplied e) {
            return "desired: " + e.deployment().replicas() + " replicas, generation " + e.generation()
                    + (e.revision() > 0 ? ", revision " + e.revision() + " (" + e.deployment().template().image() + ")" : "")
                    + (e.deployment().rollout().paused() ? ", paused" : "");
        }
        if (p instanceof DeploymentStatusChanged e) {
            DeploymentCondition progressing = e.condition(DeploymentCondition.PROGRESSING);
            return e.updatedReplicas() + " updated, " + e.availableReplicas() + " available of " + e.replicas() + " pods (revision "
                    + e.revision() + ")" + (progressing == null || progressing.reason() == null ? "" : ": " + progressing.reason());
        }
        if (p instanceof DeploymentScaled e) return "desired: " + e.replicas() + " replicas, generation " + e.generation() + because(e.reason());
        if (p instanceof ApplyHorizontalPodAutoscaler c) return "apply: " + autoscaler(c.autoscaler());
        if (p instanceof DeleteHorizontalPodAutoscaler c) return "delete";
        if (p instanceof HorizontalPodAutoscalerApplied e) return "desired: " + autoscaler(e.autoscaler());
        if (p instanceof HorizontalPodAutoscalerDeleted e) return "deleted: its deployment keeps the replicas it has";
        if (p instanceof HorizontalPodAutoscalerStatus e) return e.currentReplicas() + " -> " + e.desiredReplicas() + " replicas, "
                + AutoscalerTables.statusTargets(e) + (e.reason() == null ? "" : ": " + e.reason());
        if (p instanceof DeploymentDeleted e) return "deleted from desired state";
        if (p instanceof PodCreated e) return "created for deployment " + e.deployment() + " (generation " + e.generation() + ")";
        if (p instanceof PodDeletionRequested e) return "deletion requested: " + e.reason();
        if (p instanceof PodLost e) return "lost with node " + e.node() + ": " + e.reason();
        if (p instanceof PodPlaced e) return "placed on " + e.node() + ": " + explain(e);
        if (p instanceof PodReleased e) return "released from " + e.node() + ": " + e.reason();
        if (p instanceof PodUnschedulable e) return "unschedulable: " + e.message();
        if (p instanceof PodStatusChanged e) {
            String s = e.state() + " on " + e.node();
            if (e.ready() != null) s += e.ready() ? ", ready" : ", not ready";
            if (e.reason() != null) s += " (" + e.reason() + ")";
            if (e.exitCode() != null) s += ", exit code " + e.exitCode();
            if (e.restartCount() > 0) s += ", restarts " + e.restartCount();
            if (e.message() != null && !e.message().isBlank()) s += ": " + e.message();
            return s;
        }
        if (p instanceof NodeHeartbeat e) return "heartbeat: " + e.pods().size() + " pods";
        if (p instanceof NodeStatusChanged e) return e.condition() + (e.cordoned() ? ", cordoned" : "") + ": " + e.reason();
        if (p instanceof dev.berth.bus.contract.PodIntruderFound e) return "intruder pod " + e.pod() + " (seen by its " + e.seen() + "): " + e.reason() + "; its node stops it";
        return p.getClass().getSimpleName();
    }

    private static String keys(java.util.Set<String> keys, java.util.Set<String> more) {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(keys);
        all.addAll(more);
        return all.isEmpty() ? "<none>" : String.join(",", all);
    }

    private static String because(String reason) { return reason == null || reason.isBlank() ? "" : " (" + reason + ")"; }

    /** "Deployment/web 1-5 replicas on cpu 50%, requests_per_second 10". */
    static String autoscaler(HorizontalPodAutoscalerSpec a) {
        if (a == null) return "?";
        String metrics = a.metrics().stream().map(m -> m.name() + " " + AutoscalerTables.target(m)).collect(Collectors.joining(", "));
        return AutoscalerTables.reference(a) + " " + a.minReplicasOrDefault() + "-" + a.maxReplicas() + " replicas"
                + (metrics.isEmpty() ? "" : " on " + metrics);
    }

    /** The scheduler's reasons: filter counts and the best candidates with their scores. */
    static String explain(PodPlaced p) {
        String filtered = p.filtered().isEmpty() ? "none filtered"
                : p.filtered().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")) + " filtered";
        String top = p.topCandidates().stream()
                .map(c -> c.node() + " " + String.format(java.util.Locale.ROOT, "%.1f", c.total()) + " " + c.scores())
                .collect(Collectors.joining("; "));
        return considered(p) + ", " + filtered + "; best: " + top;
    }

    /** "12 nodes considered", or "100 of 5000 nodes considered (sampled)" when the scheduler examined a sample. */
    static String considered(PodPlaced p) {
        return p.sampled() ? p.nodesConsidered() + " of " + p.nodesKnown() + " nodes considered (sampled)"
                : p.nodesConsidered() + " nodes considered";
    }

    static String line(Envelope e) {
        return String.format("%s  %-22s %-28s %s", TIME.format(e.time()), e.type(), object(e.data()), message(e.data()));
    }

    /** A line after its object's namespace (blank for cluster-wide objects), as kubectl get events -A puts NAMESPACE first. */
    static String line(Envelope e, String namespace) {
        return String.format("%-16s %s", namespace == null ? "" : namespace, line(e));
    }
}
