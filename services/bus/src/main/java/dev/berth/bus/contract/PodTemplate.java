package dev.berth.bus.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What every replica of a deployment runs: its app containers ({@code containers}, at least one, all running at
 * once in the pod's network) after its init containers ({@code initContainers}, each run to completion in order),
 * with the pod-level fields. Records written before several containers carry one container's fields flat
 * ({@code image}, {@code command}, ...): they read as a single unnamed container, which a record naming the
 * deployment names after it ({@link #named}). The single-container accessors ({@link #image()}, {@link #command()},
 * ...) and constructors are the first container's, for the many callers of one container; what must see every
 * container uses {@link #containers()}, {@link #initContainers()}, {@link #resources()} (the pod's total),
 * {@link #ports()} (every container's) and {@link #images()}.
 *
 * @param containers                    the app containers; the first is "the" container of single-container callers
 * @param initContainers                run one after another, each to exit 0, before the app containers start
 * @param restartPolicy                 Always, OnFailure or Never
 * @param terminationGracePeriodSeconds time between TERM and KILL when the pod is stopped
 * @param nodeSelector                  labels a node must carry (all of them) to run the pod; empty: any node
 * @param tolerations                   the node taints the pod tolerates
 * @param labels                        the template's {@code metadata.labels}: every pod of it carries them; the
 *                                      deployment's selector must match them (empty in older logs)
 * @param annotations                   the template's {@code metadata.annotations} (e.g. {@code kubectl.kubernetes.io/restartedAt},
 *                                      which {@code berth rollout restart} sets: a changed annotation is a new revision)
 * @param volumes                       what the containers may mount (configMap, secret, emptyDir); empty in older records
 */
public record PodTemplate(List<Container> containers, List<Container> initContainers, String restartPolicy,
                          int terminationGracePeriodSeconds, Map<String, String> nodeSelector, List<Toleration> tolerations,
                          Map<String, String> labels, Map<String, String> annotations, List<Volume> volumes) {

    public static final String DEFAULT_RESTART_POLICY = "Always";
    public static final int DEFAULT_GRACE_SECONDS = 10;
    public static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");

    /** kubectl's annotation naming the container {@code logs} and {@code exec} pick when none is given. */
    public static final String DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

    public PodTemplate {
        containers = containers == null ? List.of() : List.copyOf(containers);
        initContainers = initContainers == null ? List.of() : List.copyOf(initContainers);
        restartPolicy = restartPolicy == null ? DEFAULT_RESTART_POLICY : restartPolicy;
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** A template without volumes. */
    public PodTemplate(List<Container> containers, List<Container> initContainers, String restartPolicy,
                       int terminationGracePeriodSeconds, Map<String, String> nodeSelector, List<Toleration> tolerations,
                       Map<String, String> labels, Map<String, String> annotations) {
        this(containers, initContainers, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations, labels,
                annotations, null);
    }

    /** A single-container template (the shape before several containers); the container is unnamed until {@link #named}. */
    public PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                       ResourceRequirements resources, String restartPolicy, int terminationGracePeriodSeconds,
                       Map<String, String> nodeSelector, List<Toleration> tolerations, String imagePullPolicy,
                       Map<String, String> labels, List<ContainerPort> ports, Probe readinessProbe,
                       String workingDir, SecurityContext securityContext, Probe livenessProbe, Probe startupProbe,
                       Map<String, String> annotations) {
        this(List.of(new Container(null, image, command, args, env, resources, imagePullPolicy, ports, readinessProbe,
                        livenessProbe, startupProbe, workingDir, securityContext)),
                null, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations, labels, annotations, null);
    }

    /** Reads both shapes: {@code containers}/{@code initContainers}, and the single container's flat fields of older records. */
    @JsonCreator
    static PodTemplate read(@JsonProperty("containers") List<Container> containers,
                            @JsonProperty("initContainers") List<Container> initContainers,
                            @JsonProperty("restartPolicy") String restartPolicy,
                            @JsonProperty("terminationGracePeriodSeconds") int terminationGracePeriodSeconds,
                            @JsonProperty("nodeSelector") Map<String, String> nodeSelector,
                            @JsonProperty("tolerations") List<Toleration> tolerations,
                            @JsonProperty("labels") Map<String, String> labels,
                            @JsonProperty("annotations") Map<String, String> annotations,
                            @JsonProperty("volumes") List<Volume> volumes,
                            @JsonProperty("image") String image, @JsonProperty("command") List<String> command,
                            @JsonProperty("args") List<String> args, @JsonProperty("env") Map<String, String> env,
                            @JsonProperty("resources") ResourceRequirements resources,
                            @JsonProperty("imagePullPolicy") String imagePullPolicy,
                            @JsonProperty("ports") List<ContainerPort> ports,
                            @JsonProperty("readinessProbe") Probe readinessProbe,
                            @JsonProperty("workingDir") String workingDir,
                            @JsonProperty("securityContext") SecurityContext securityContext,
                            @JsonProperty("livenessProbe") Probe livenessProbe,
                            @JsonProperty("startupProbe") Probe startupProbe) {
        if (containers == null || containers.isEmpty()) {
            containers = List.of(new Container(null, image, command, args, env, resources, imagePullPolicy, ports,
                    readinessProbe, livenessProbe, startupProbe, workingDir, securityContext));
        }
        return new PodTemplate(containers, initContainers, restartPolicy, terminationGracePeriodSeconds, nodeSelector,
                tolerations, labels, annotations, volumes);
    }

    /** The first app container: "the" container of single-container callers. */
    public Container main() {
        return containers.isEmpty() ? Container.of(null, null, null) : containers.get(0);
    }

    /** Init containers, then app containers: every container the pod runs. */
    public List<Container> allContainers() {
        List<Container> all = new ArrayList<>(initContainers);
        all.addAll(containers);
        return all;
    }

    /** The app containers' names, in order. */
    public List<String> containerNames() {
        return containers.stream().map(Container::name).toList();
    }

    /** Every image the pod runs (init containers' first), each once. */
    public List<String> images() {
        LinkedHashSet<String> images = new LinkedHashSet<>();
        for (Container c : allContainers()) if (c.image() != null) images.add(c.image());
        return List.copyOf(images);
    }

    /** The container of that name (app or init), or null. */
    public Container container(String name) {
        for (Container c : allContainers()) if (c.name() != null && c.name().equals(name)) return c;
        return null;
    }

    /** This template with its single unnamed container (records from before several containers) named {@code name}. */
    public PodTemplate named(String name) {
        if (name == null || containers.size() != 1 || containers.get(0) == null || containers.get(0).name() != null) return this;
        return withContainers(List.of(containers.get(0).withName(name)));
    }

    public String image() { return main().image(); }
    public List<String> command() { return main().command(); }
    public List<String> args() { return main().args(); }
    public Map<String, String> env() { return main().env(); }
    public String imagePullPolicy() { return main().imagePullPolicy(); }
    public Probe readinessProbe() { return main().readinessProbe(); }
    public Probe livenessProbe() { return main().livenessProbe(); }
    public Probe startupProbe() { return main().startupProbe(); }
    public String workingDir() { return main().workingDir(); }
    public SecurityContext securityContext() { return main().securityContext(); }

    /**
     * The pod's resources as Kubernetes computes them for scheduling: the app containers' sum, but at least the largest
     * init container's (they run one at a time before the app containers); a single container's own resources.
     */
    public ResourceRequirements resources() {
        if (containers.size() == 1 && initContainers.isEmpty()) return containers.get(0).resources();
        return ResourceRequirements.ofPod(containers.stream().map(Container::resources).toList(),
                initContainers.stream().map(Container::resources).toList());
    }

    /** Every app container's ports (the pod's: hostPorts, named ports of probes and Services). */
    public List<ContainerPort> ports() {
        if (containers.size() == 1) return containers.get(0).ports();
        List<ContainerPort> all = new ArrayList<>();
        for (Container c : containers) all.addAll(c.ports());
        return all;
    }

    /** This template with these app containers. */
    public PodTemplate withContainers(List<Container> c) {
        return new PodTemplate(c, initContainers, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations, labels, annotations, volumes);
    }

    /** This template with these init containers. */
    public PodTemplate withInitContainers(List<Container> c) {
        return new PodTemplate(containers, c, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations, labels, annotations, volumes);
    }

    /** This template with its first container replaced by {@code m}. */
    private PodTemplate withMain(Container m) {
        List<Container> c = new ArrayList<>(containers);
        if (c.isEmpty()) c.add(m); else c.set(0, m);
        return withContainers(c);
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
        return new PodTemplate(containers, initContainers, restartPolicy, terminationGracePeriodSeconds, selector, tolerated, labels, annotations, volumes);
    }

    /** This template with these requests and limits (its first container's). */
    public PodTemplate withResources(ResourceRequirements r) { return withMain(main().withResources(r)); }

    /** This template with an explicit imagePullPolicy (null: the default), its first container's. */
    public PodTemplate withImagePullPolicy(String policy) { return withMain(main().withImagePullPolicy(policy)); }

    /** This template with these {@code metadata.labels} (null: none). */
    public PodTemplate withLabels(Map<String, String> podLabels) {
        return new PodTemplate(containers, initContainers, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations, podLabels, annotations, volumes);
    }

    /** This template with these container ports (its first container's). */
    public PodTemplate withPorts(List<ContainerPort> p) { return withMain(main().withPorts(p)); }

    /** This template with this readiness probe (null: ready once running), its first container's. */
    public PodTemplate withReadinessProbe(Probe probe) { return withMain(main().withReadinessProbe(probe)); }

    /** This template with a working directory and security context (null: the image's), its first container's. */
    public PodTemplate withProcess(String dir, SecurityContext security) { return withMain(main().withProcess(dir, security)); }

    /** This template with a liveness and a startup probe (null: none), its first container's. */
    public PodTemplate withHealthProbes(Probe liveness, Probe startup) { return withMain(main().withHealthProbes(liveness, startup)); }

    /** This template with these volumes (null: none). */
    public PodTemplate withVolumes(List<Volume> v) {
        return new PodTemplate(containers, initContainers, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations, labels, annotations, v);
    }

    /** The volume of that name, or null. */
    public Volume volume(String name) {
        for (Volume v : volumes) if (v != null && v.name() != null && v.name().equals(name)) return v;
        return null;
    }

    /** This template with these {@code metadata.annotations} (null: none). */
    public PodTemplate withAnnotations(Map<String, String> a) {
        return new PodTemplate(containers, initContainers, restartPolicy, terminationGracePeriodSeconds, nodeSelector, tolerations, labels, a, volumes);
    }
}
