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
 * @param imagePullPolicy               Always, IfNotPresent or Never; null: Kubernetes' default, which the
 *                                      node applies (Always for {@code :latest} or no tag, else IfNotPresent)
 * @param ports                         the container's ports ({@code containers[].ports}); a hostPort is published on the node
 */
public record PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                          Resources resources, String restartPolicy, int terminationGracePeriodSeconds,
                          Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy,
                          List<ContainerPort> ports) {

    public static final String DEFAULT_RESTART_POLICY = "Always";
    public static final int DEFAULT_GRACE_SECONDS = 10;
    public static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");

    public PodTemplate {
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        restartPolicy = restartPolicy == null ? DEFAULT_RESTART_POLICY : restartPolicy;
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A template without ports. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       Resources resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, nodeSelector,
                tolerations, imagePullPolicy, null);
    }

    /** A template without placement constraints: any node may run it. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       Resources resources, String restartPolicy, int terminationGracePeriodSeconds) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, null, null, null);
    }

    /** A template with placement constraints and Kubernetes' default pull policy. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       Resources resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations) {
        this(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds, nodeSelector,
                tolerations, null);
    }

    /** This template with placement constraints. */
    public PodTemplate withPlacement(Map<String, String> selector, List<Toleration> tolerated) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                selector, tolerated, imagePullPolicy, ports);
    }

    /** This template with an explicit imagePullPolicy (null: the default). */
    public PodTemplate withImagePullPolicy(String policy) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, policy, ports);
    }

    /** This template with these container ports. */
    public PodTemplate withPorts(List<ContainerPort> p) {
        return new PodTemplate(image, command, args, env, resources, restartPolicy, terminationGracePeriodSeconds,
                nodeSelector, tolerations, imagePullPolicy, p);
    }
}
