package dev.berth.bus.contract;

/**
 * Desired state of one deployment: how many replicas of which pod template.
 *
 * @param namespace where the deployment lives; absent (records written before namespaces): {@code default}
 */
public record DeploymentSpec(String name, int replicas, PodTemplate template, String namespace) {
    public DeploymentSpec {
        namespace = Namespaces.orDefault(namespace);
    }

    /** A deployment in the default namespace. */
    public DeploymentSpec(String name, int replicas, PodTemplate template) { this(name, replicas, template, null); }

    public DeploymentSpec withReplicas(int n) { return new DeploymentSpec(name, n, template, namespace); }

    public DeploymentSpec inNamespace(String ns) { return new DeploymentSpec(name, replicas, template, ns); }

    /** Its {@link Namespaces#key}: the bare name in default, else namespace/name. */
    public String key() { return Namespaces.key(namespace, name); }
}
