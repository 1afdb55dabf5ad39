package dev.berth.bus.contract;

import java.util.List;
import java.util.Map;

/**
 * What every replica of a deployment runs: one container.
 *
 * @param restartPolicy                 Always, OnFailure or Never
 * @param terminationGracePeriodSeconds time between TERM and KILL when the pod is stopped
 * @param nodeSelector                  labels a node must carry (all of them) to run the pod; empty: any node
 * @param tolerations                   the node taints the pod tolerates
 * @param resources                     requests (what the scheduler reserves) and limits (what the node's cgroups
 *                                      enforce); null: none (the pod reserves nothing and runs uncapped). Older
 *                                      records' flat {@code {cpuMillis, memoryBytes}} reads as both
 * @param imagePullPolicy               Always, IfNotPresent or Never; null: Kubernetes' default, which the
 *                                      node applies (Always for {@code :latest} or no tag, else IfNotPresent)
 * @param labels                        the template's {@code metadata.labels}: every pod of it carries them; the
 *                                      deployment's selector must match them (empty in older logs)
 * @param ports                         the container's ports ({@code containers[].ports}); a hostPort is published on the node
 * @param readinessProbe                when the pod is ready for traffic (its Service endpoints); null: once it runs
 * @param workingDir                    the process's working directory; null: the image's WorkingDir (or /)
 * @param securityContext               the user and group the process runs as; null: the image's USER
 * @param livenessProbe                 when the container is restarted as unhealthy ("Liveness probe failed: ..."); null: never
 * @param startupProbe                  holds liveness and readiness back until it first succeeds; null: none
 * @param annotations                   the template's {@code metadata.annotations} (e.g. {@code kubectl.kubernetes.io/restartedAt},
 *                                      which {@code berth rollout restart} sets: a changed annotation is a new revision)
 */
public record PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                          ResourceRequirements resources, String restartPolicy, int terminationGracePeriodSeconds,
                          Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy,
                          Map<String, String> labels, List<ContainerPort> ports, Probe readinessProbe,
                          String workingDir, SecurityContext securityContext, Probe livenessProbe, Probe startupProbe,
                          Map<String, String> annotations) {

    public static final String DEFAULT_RESTART_POLICY = "Always";
    public static final int DEFAULT_GRACE_SECONDS = 10;
    public static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");

    public PodTemplate {
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        resources = resources == null ? ResourceRequirements.NONE : resources;
        restartPolicy = restartPolicy == null ? DEFAULT_RESTART_POLICY : restartPolicy;
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        ports = ports == null ? List.of() : List.copyOf(ports);
        workingDir = workingDir == null || workingDir.isEmpty() ? null : workingDir;
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** A template without liveness or startup probe and annotations. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       ResourceRequirements resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy,
                       Map<String, String> labels, List<ContainerPort> ports, Probe readinessProbe,
                       String workingDir, SecurityContext securityContext) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations,
                imagePullPolicy, labels, ports, readinessProbe, workingDir, securityContext, null, null, null);
    }

    /** A template without a readiness probe, workingDir or securityContext. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       ResourceRequirements resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy,
                       Map<String, String> labels, List<ContainerPort> ports) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, nodeSelector,
                tolerations, imagePullPolicy, labels, ports, null, null, null);
    }

    /** A template without ports. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       ResourceRequirements resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy,
                       Map<String, String> labels) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, nodeSelector,
                tolerations, imagePullPolicy, labels, null);
    }

    /** A template without labels or ports (older callers). */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       ResourceRequirements resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, nodeSelector,
                tolerations, imagePullPolicy, null, null);
    }

    /** A template whose requests and limits are both {@code resources} (as every template was before they were separate). */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       Resources resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy) {
        this(image, command, args, env, ResourceRequirements.of(resources), restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy);
    }

    /** A template without placement constraints: any node may run it. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       Resources resources, String restartPolicy, int terminationGracePeriodSeconds) {
        this(image, command, args, env, ResourceRequirements.of(resources), restartPolicy, terminationGracePeriodSeconds, null, null, null);
    }

    /** A template with placement constraints and Kubernetes' default pull policy. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       Resources resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations) {
        this(image, command, args, env, ResourceRequirements.of(resources), restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, null);
    }

    /** A template with requests and limits and without placement constraints. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       ResourceRequirements resources, String restartPolicy, int terminationGracePeriodSeconds) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, null, null, null);
    }

    /** A template with requests and limits and placement constraints, and Kubernetes' default pull policy. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       ResourceRequirements resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations, null);
    }

    /** This template with placement constraints. */
    public PodTemplate withPlacement(Map<String, String> selector, List<Toleration> tolerated) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                selector, tolerated, imagePullPolicy, labels, ports, readinessProbe, workingDir, securityContext, livenessProbe, startupProbe, annotations);
    }

    /** This template with these requests and limits. */
    public PodTemplate withResources(ResourceRequirements r) {
        return new PodTemplate(image, command, args, env, r, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy, labels, ports, readinessProbe, workingDir, securityContext, livenessProbe, startupProbe, annotations);
    }

    /** This template with an explicit imagePullPolicy (null: the default). */
    public PodTemplate withImagePullPolicy(String policy) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, policy, labels, ports, readinessProbe, workingDir, securityContext, livenessProbe, startupProbe, annotations);
    }

    /** This template with these {@code metadata.labels} (null: none). */
    public PodTemplate withLabels(Map<String, String> podLabels) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy, podLabels, ports, readinessProbe, workingDir, securityContext, livenessProbe, startupProbe, annotations);
    }

    /** This template with these container ports. */
    public PodTemplate withPorts(List<ContainerPort> p) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy, labels, p, readinessProbe, workingDir, securityContext, livenessProbe, startupProbe, annotations);
    }

    /** This template with this readiness probe (null: ready once running). */
    public PodTemplate withReadinessProbe(Probe probe) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy, labels, ports, probe, workingDir, securityContext, livenessProbe, startupProbe, annotations);
    }

    /** This template with a working directory and security context (null: the image's). */
    public PodTemplate withProcess(String dir, SecurityContext security) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy, labels, ports, readinessProbe, dir, security, livenessProbe, startupProbe, annotations);
    }

    /** This template with a liveness and a startup probe (null: none). */
    public PodTemplate withHealthProbes(Probe liveness, Probe startup) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy, labels, ports, readinessProbe, workingDir, securityContext, liveness, startup, annotations);
    }

    /** This template with these {@code metadata.annotations} (null: none). */
    public PodTemplate withAnnotations(Map<String, String> a) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy, labels, ports, readinessProbe, workingDir, securityContext, livenessProbe, startupProbe, a);
    }
}
