package dev.berth.bus.contract;

import java.util.List;
import java.util.Map;

/**
 * One container of a pod, as Kubernetes' {@code containers[]} and {@code initContainers[]} entries.
 *
 * @param name            a DNS-1123 label, unique in the pod; null only in templates from before several containers
 *                        (a record naming the deployment fills it in with the deployment's name, see {@link PodTemplate#named})
 * @param resources       requests (what the scheduler reserves) and limits (what its cgroup enforces); null: none
 * @param imagePullPolicy Always, IfNotPresent or Never; null: Kubernetes' default, which the node applies
 * @param ports           the container's ports; a hostPort is published on the node
 * @param readinessProbe  when the container is ready; null: once it runs
 * @param livenessProbe   when the container is restarted as unhealthy; null: never
 * @param startupProbe    holds liveness and readiness back until it first succeeds; null: none
 * @param workingDir      the process's working directory; null: the image's WorkingDir (or /)
 * @param securityContext the user and group the process runs as; null: the image's USER
 */
public record Container(String name, String image, List<String> command, List<String> args, Map<String, String> env,
                        ResourceRequirements resources, String imagePullPolicy, List<ContainerPort> ports,
                        Probe readinessProbe, Probe livenessProbe, Probe startupProbe, String workingDir,
                        SecurityContext securityContext) {

    public Container {
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        resources = resources == null ? ResourceRequirements.NONE : resources;
        ports = ports == null ? List.of() : List.copyOf(ports);
        workingDir = workingDir == null || workingDir.isEmpty() ? null : workingDir;
    }

    /** A container that runs {@code command} in {@code image}, with nothing else set. */
    public static Container of(String name, String image, List<String> command) {
        return new Container(name, image, command, null, null, null, null, null, null, null, null, null, null);
    }

    public Container withName(String n) {
        return new Container(n, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withImage(String i) {
        return new Container(name, i, command, args, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withArgs(List<String> a) {
        return new Container(name, image, command, a, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withEnv(Map<String, String> e) {
        return new Container(name, image, command, args, e, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withResources(ResourceRequirements r) {
        return new Container(name, image, command, args, env, r, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withImagePullPolicy(String p) {
        return new Container(name, image, command, args, env, resources, p, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withPorts(List<ContainerPort> p) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, p, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withReadinessProbe(Probe p) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, ports, p, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withHealthProbes(Probe liveness, Probe startup) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe, liveness,
                startup, workingDir, securityContext);
    }

    public Container withProcess(String dir, SecurityContext security) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, dir, security);
    }
}
