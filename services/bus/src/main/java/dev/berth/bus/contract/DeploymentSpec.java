package dev.berth.bus.contract;

import java.util.Map;

/**
 * Desired state of one deployment: how many replicas of which pod template.
 *
 * @param labels    the Deployment's own {@code metadata.labels} ({@code berth delete deployments -l} selects by them);
 *                  empty in older logs
 * @param selector  {@code spec.selector}: must match the template's labels and never changes once set. Null (older logs,
 *                  callers that are not manifests): the template's labels, see {@link #effectiveSelector()}. Pods belong to
 *                  their deployment by name either way (PodCreated names it), so a selector never adopts other pods.
 * @param namespace where the deployment lives; absent (records written before namespaces): {@code default}
 * @param rollout   how a template change rolls out (strategy, minReadySeconds, progressDeadlineSeconds,
 *                  revisionHistoryLimit, paused); absent (older logs): Kubernetes' defaults
 * @param annotations the Deployment's {@code metadata.annotations} ({@code kubernetes.io/change-cause} names a revision
 *                  in {@code rollout history})
 */
public record DeploymentSpec(String name, int replicas, PodTemplate template, Map<String, String> labels, Selector selector,
                             String namespace, Rollout rollout, Map<String, String> annotations) {
    public static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

    /**
     * The rollout fields of a Deployment's spec, with Kubernetes' defaults: RollingUpdate 25 %/25 %, minReadySeconds 0,
     * progressDeadlineSeconds 600, revisionHistoryLimit 10, not paused.
     */
    public record Rollout(DeploymentStrategy strategy, int minReadySeconds, Integer progressDeadlineSeconds, Integer revisionHistoryLimit,
                          boolean paused) {
        public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
        public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;
        public static final Rollout DEFAULT = new Rollout(null, 0, null, null, false);

        public Rollout {
            strategy = strategy == null ? DeploymentStrategy.DEFAULT : strategy;
            progressDeadlineSeconds = progressDeadlineSeconds == null ? DEFAULT_PROGRESS_DEADLINE_SECONDS : progressDeadlineSeconds;
            revisionHistoryLimit = revisionHistoryLimit == null ? DEFAULT_REVISION_HISTORY_LIMIT : revisionHistoryLimit;
        }

        public Rollout withPaused(boolean p) { return new Rollout(strategy, minReadySeconds, progressDeadlineSeconds, revisionHistoryLimit, p); }
    }

    public DeploymentSpec {
        template = template == null ? null : template.named(name);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        namespace = Namespaces.orDefault(namespace);
        rollout = rollout == null ? Rollout.DEFAULT : rollout;
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** A deployment with Kubernetes' rollout defaults and no annotations. */
    public DeploymentSpec(String name, int replicas, PodTemplate template, Map<String, String> labels, Selector selector,
                          String namespace) {
        this(name, replicas, template, labels, selector, namespace, null, null);
    }

    /** A deployment without labels or selector (older callers) in the default namespace: it selects its template's labels. */
    public DeploymentSpec(String name, int replicas, PodTemplate template) {
        this(name, replicas, template, null, null, null);
    }

    /** A deployment without labels or selector in {@code namespace}. */
    public DeploymentSpec(String name, int replicas, PodTemplate template, String namespace) {
        this(name, replicas, template, null, null, namespace);
    }

    /** A deployment with labels and selector in the default namespace. */
    public DeploymentSpec(String name, int replicas, PodTemplate template, Map<String, String> labels, Selector selector) {
        this(name, replicas, template, labels, selector, null);
    }

    public DeploymentSpec withReplicas(int n) { return new DeploymentSpec(name, n, template, labels, selector, namespace, rollout, annotations); }

    public DeploymentSpec withTemplate(PodTemplate t) { return new DeploymentSpec(name, replicas, t, labels, selector, namespace, rollout, annotations); }

    public DeploymentSpec withRollout(Rollout r) { return new DeploymentSpec(name, replicas, template, labels, selector, namespace, r, annotations); }

    public DeploymentSpec withAnnotations(Map<String, String> a) {
        return new DeploymentSpec(name, replicas, template, labels, selector, namespace, rollout, a);
    }

    /** Its {@code kubernetes.io/change-cause} annotation; null when none. */
    public String changeCause() { return annotations.get(CHANGE_CAUSE); }

    /** This spec with the Deployment's labels and selector. */
    public DeploymentSpec withLabelsAndSelector(Map<String, String> deploymentLabels, Selector podSelector) {
        return new DeploymentSpec(name, replicas, template, deploymentLabels, podSelector, namespace, rollout, annotations);
    }

    public DeploymentSpec inNamespace(String ns) { return new DeploymentSpec(name, replicas, template, labels, selector, ns, rollout, annotations); }

    /** Its {@link Namespaces#key}: the bare name in default, else namespace/name. */
    public String key() { return Namespaces.key(namespace, name); }

    /** The selector as given, or one of the template's labels when none was (older logs). */
    public Selector effectiveSelector() {
        if (selector != null) return selector;
        return Selector.matching(template == null ? Map.of() : template.labels());
    }
}
