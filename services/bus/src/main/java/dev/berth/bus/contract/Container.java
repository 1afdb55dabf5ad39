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
 * @param envFrom         whole ConfigMaps and Secrets as variables, applied first (Kubernetes: env wins over envFrom)
 * @param envValueFrom    {@code env} entries with {@code valueFrom} (a ConfigMap's or Secret's key); over {@code env}'s
 *                        plain values of the same name (empty in older records)
 * @param volumeMounts    the pod's volumes this container mounts
 */
public record Container(String name, String image, List<String> command, List<String> args, Map<String, String> env,
                        ResourceRequirements resources, String imagePullPolicy, List<ContainerPort> ports,
                        Probe readinessProbe, Probe livenessProbe, Probe startupProbe, String workingDir,
                        SecurityContext securityContext, List<EnvFromSource> envFrom, List<EnvVarSource> envValueFrom,
                        List<VolumeMount> volumeMounts) {

    public Container {
        envFrom = envFrom == null ? List.of() : List.copyOf(envFrom);
        envValueFrom = envValueFrom == null ? List.of() : List.copyOf(envValueFrom);
        volumeMounts = volumeMounts == null ? List.of() : List.copyOf(volumeMounts);
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        resources = resources == null ? ResourceRequirements.NONE : resources;
        ports = ports == null ? List.of() : List.copyOf(ports);
        workingDir = workingDir == null || workingDir.isEmpty() ? null : workingDir;
    }

    /** A container without env sources or volume mounts. */
    public Container(String name, String image, List<String> command, List<String> args, Map<String, String> env,
                     ResourceRequirements resources, String imagePullPolicy, List<ContainerPort> ports,
                     Probe readinessProbe, Probe livenessProbe, Probe startupProbe, String workingDir,
                     SecurityContext securityContext) {
        this(name, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe, startupProbe,
                workingDir, securityContext, null, null, null);
    }

    /** This container with these env sources and volume mounts. */
    public Container withConfig(List<EnvFromSource> from, List<EnvVarSource> valueFrom, List<VolumeMount> mounts) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext, from, valueFrom, mounts);
    }

    /** A container that runs {@code command} in {@code image}, with nothing else set. */
    public static Container of(String name, String image, List<String> command) {
        return new Container(name, image, command, null, null, null, null, null, null, null, null, null, null);
    }

    public Container withName(String n) {
        return new Container(n, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext, envFrom, envValueFrom, volumeMounts);
    }

    public Container withImage(String i) {
        return new Container(name, i, command, args, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext, envFrom, envValueFrom, volumeMounts);
    }

    public Container withArgs(List<String> a) {
        return new Container(name, image, command, a, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext);
    }

    public Container withEnv(Map<String, String> e) {
        return new Container(name, image, command, args, e, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext, envFrom, envValueFrom, volumeMounts);
    }

    public Container withResources(ResourceRequirements r) {
        return new Container(name, image, command, args, env, r, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext, envFrom, envValueFrom, volumeMounts);
    }

    public Container withImagePullPolicy(String p) {
        return new Container(name, image, command, args, env, resources, p, ports, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext, envFrom, envValueFrom, volumeMounts);
    }

    public Container withPorts(List<ContainerPort> p) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, p, readinessProbe, livenessProbe,
                startupProbe, workingDir, securityContext, envFrom, envValueFrom, volumeMounts);
    }

    public Container withReadinessProbe(Probe p) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, ports, p, livenessProbe,
                startupProbe, workingDir, securityContext, envFrom, envValueFrom, volumeMounts);
    }

    public Container withHealthProbes(Probe liveness, Probe startup) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe, liveness,
                startup, workingDir, securityContext, envFrom, envValueFrom, volumeMounts);
    }

    public Container withProcess(String dir, SecurityContext security) {
        return new Container(name, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe, livenessProbe,
                startupProbe, dir, security, envFrom, envValueFrom, volumeMounts);
    }
}
