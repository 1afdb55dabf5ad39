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
 */
public record DeploymentSpec(String name, int replicas, PodTemplate template, Map<String, String> labels, Selector selector,
                             String namespace) {

    public DeploymentSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        namespace = Namespaces.orDefault(namespace);
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

    public DeploymentSpec withReplicas(int n) { return new DeploymentSpec(name, n, template, labels, selector, namespace); }

    /** This spec with the Deployment's labels and selector. */
    public DeploymentSpec withLabelsAndSelector(Map<String, String> deploymentLabels, Selector podSelector) {
        return new DeploymentSpec(name, replicas, template, deploymentLabels, podSelector, namespace);
    }

    public DeploymentSpec inNamespace(String ns) { return new DeploymentSpec(name, replicas, template, labels, selector, ns); }

    /** Its {@link Namespaces#key}: the bare name in default, else namespace/name. */
    public String key() { return Namespaces.key(namespace, name); }

    /** The selector as given, or one of the template's labels when none was (older logs). */
    public Selector effectiveSelector() {
        if (selector != null) return selector;
        return Selector.matching(template == null ? Map.of() : template.labels());
    }
}
