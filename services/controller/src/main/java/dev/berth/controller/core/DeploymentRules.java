package dev.berth.controller.core;

import dev.berth.bus.Limits;
import dev.berth.bus.Validation;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ResourceList;
import dev.berth.bus.contract.ResourceRequirements;
import dev.berth.bus.ImageReference;
import dev.berth.bus.contract.Selector;
import dev.berth.bus.labels.LabelSelector;
import dev.berth.bus.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a deployment must mean to be accepted, beyond its JSON Schema (which the shell checked).
 * Every rule adds its finding as a sentence a person can act on; callers collect all of them. Sizes
 * and counts are the {@link Limits} every consumer checks ({@link Validation}), so an accepted
 * template is never one a scheduler or node agent sets aside.
 */
public final class DeploymentRules {
    private DeploymentRules() {}

    public static final int MAX_REPLICAS = Limits.REPLICAS_MAX;
    /** Pod names add "-xxxxx" and must stay a DNS-1123 label (at most 63 characters). */
    public static final int MAX_NAME_LENGTH = 63 - PodNames.SUFFIX_LENGTH - 1;
    /** runc and the container's own process need a few MiB; less fails at start, not here. */
    public static final long MIN_MEMORY_BYTES = 4L * 1024 * 1024;
    public static final Set<String> RESTART_POLICIES = Set.of("Always", "OnFailure", "Never");

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    /** Every problem of a whole spec; empty when it may be applied. */
    public static List<String> check(DeploymentSpec spec, SortedSet<String> knownImages) {
        List<String> problems = new ArrayList<>();
        if (spec == null) return List.of("deployment is required");
        List<String> nameProblems = name(spec.name());
        problems.addAll(nameProblems);
        problems.addAll(NamespaceRules.name(spec.namespace()));
        problems.addAll(replicas(spec.replicas()));
        for (String p : template(spec.template(), knownImages)) {
            // A container without a name of its own takes the deployment's: its problem is already said once.
            if (!nameProblems.isEmpty() && p.startsWith("template/name:")) continue;
            problems.add(p);
        }
        if (spec.template() != null && RESTART_POLICIES.contains(spec.template().restartPolicy())
                && !PodTemplate.DEFAULT_RESTART_POLICY.equals(spec.template().restartPolicy())) {
            // apps/v1: a Deployment's pods always restart; Never and OnFailure are for Jobs.
            problems.add("spec.template.spec.restartPolicy: Unsupported value: \"" + spec.template().restartPolicy() + "\": supported values: \"Always\"");
        }
        problems.addAll(labels("metadata.labels", spec.labels()));
        if (spec.template() != null) {
            problems.addAll(labels("spec.template.metadata.labels", spec.template().labels()));
            problems.addAll(selector(spec));
        }
        return problems;
    }

    /** Label keys and values as Kubernetes has them, at most {@link Labels#MAX_LABELS}. */
    static List<String> labels(String field, Map<String, String> labels) {
        Optional<String> problem = Labels.check(labels);
        return problem.map(p -> List.of(field + ": Invalid value: " + p)).orElse(List.of());
    }

    /**
     * apps/v1's rules: a selector that selects something, matching the template's labels (else the
     * deployment would not own the pods it creates). No selector: the template's labels (older
     * callers), which match by definition.
     */
    static List<String> selector(DeploymentSpec spec) {
        if (spec.selector() == null) return List.of();
        if (spec.selector().hasNoRequirements()) {
            return List.of("spec.selector: Invalid value: {}: empty selector is invalid for deployment");
        }
        LabelSelector selector;
        try {
            selector = spec.selector().toLabelSelector();
        } catch (LabelSelector.InvalidSelector e) {
            return List.of("spec.selector: Invalid value: " + e.getMessage());
        }
        if (selector.matches(spec.template().labels())) return List.of();
        return List.of("spec.template.metadata.labels: Invalid value: " + goMap(spec.template().labels())
                + ": `selector` does not match template `labels`");
    }

    /**
     * What an update may not change: {@code spec.selector} (Kubernetes: immutable in apps/v1). A
     * deployment from before selectors (none recorded) takes the first one it is given.
     */
    public static List<String> update(DeploymentSpec before, DeploymentSpec after) {
        if (before.selector() == null || after == null) return List.of();
        if (sameSelector(before.selector(), after.effectiveSelector())) return List.of();
        return List.of("spec.selector: Invalid value: " + describe(after.effectiveSelector()) + ": field is immutable");
    }

    /** The same requirements in any order: reordering matchExpressions changes nothing a selector selects. */
    private static boolean sameSelector(Selector a, Selector b) {
        try {
            return Set.copyOf(a.toLabelSelector().requirements()).equals(Set.copyOf(b.toLabelSelector().requirements()));
        } catch (LabelSelector.InvalidSelector e) {
            return a.equals(b);
        }
    }

    private static String describe(Selector s) {
        try {
            return "\"" + s.toLabelSelector() + "\"";
        } catch (LabelSelector.InvalidSelector e) {
            return "(invalid)";
        }
    }

    /** Kubernetes prints the labels as Go does: {@code map[string]string{"app":"web"}}, keys sorted. */
    static String goMap(Map<String, String> labels) {
        StringBuilder out = new StringBuilder("map[string]string{");
        String sep = "";
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            out.append(sep).append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
            sep = ", ";
        }
        return Limits.excerpt(out.append('}').toString(), 512); // never the whole of a hostile input
    }

    public static List<String> name(String name) {
        if (name == null || name.isEmpty()) return List.of("name must not be empty");
        List<String> problems = new ArrayList<>();
        if (!DNS_LABEL.matcher(name).matches()) {
            problems.add("name '" + Limits.excerpt(name, 80) + "' is not a DNS-1123 label: use only lower-case letters, digits and '-',"
                    + " starting and ending with a letter or digit");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            problems.add("name '" + Limits.excerpt(name, 80) + "' is " + name.length() + " characters long; at most " + MAX_NAME_LENGTH
                    + " are allowed because pod names add 6 and must stay within 63");
        }
        return problems;
    }

    /** How messages name a deployment: its bare name in default (as before namespaces), namespace/name elsewhere. */
    static String qualified(String namespace, String name) { return dev.berth.bus.contract.Namespaces.key(namespace, name); }

    public static List<String> replicas(int replicas) {
        if (replicas >= 0 && replicas <= MAX_REPLICAS) return List.of();
        return List.of("replicas must be between 0 and " + MAX_REPLICAS + ", got " + replicas);
    }

    static List<String> template(PodTemplate t, SortedSet<String> knownImages) {
        if (t == null) return List.of("template is required");
        List<String> problems = new ArrayList<>();
        for (var c : t.allContainers()) {
            if (c == null) continue;
            String of = t.allContainers().size() == 1 ? "" : " (container " + c.name() + ")";
            for (String p : image(c.image(), knownImages)) problems.add(p + of);
            for (String p : resources(c.resources())) problems.add(p + of);
            if (c.imagePullPolicy() != null && !PodTemplate.PULL_POLICIES.contains(c.imagePullPolicy())) {
                problems.add("imagePullPolicy must be Always, IfNotPresent or Never, got '" + c.imagePullPolicy() + "'" + of);
            }
        }
        if (!RESTART_POLICIES.contains(t.restartPolicy())) {
            problems.add("restartPolicy must be Always, OnFailure or Never, got '" + Limits.excerpt(t.restartPolicy(), 80) + "'");
        }
        if (t.terminationGracePeriodSeconds() < 0) {
            problems.add("terminationGracePeriodSeconds must be 0 or more, got " + t.terminationGracePeriodSeconds());
        }
        if (t.terminationGracePeriodSeconds() > Limits.GRACE_PERIOD_MAX_SECONDS) {
            problems.add("terminationGracePeriodSeconds must be at most " + Limits.GRACE_PERIOD_MAX_SECONDS + ", got "
                    + t.terminationGracePeriodSeconds() + ": a stop must end in bounded time");
        }
        // Sizes, counts and the template's whole size: the same rules every consumer applies to PodCreated and PodPlaced.
        for (String p : Validation.templateLimits(t)) problems.add(p.substring(1).replaceFirst("^template: ", "template "));
        return problems;
    }

    /** Only the reference's syntax: whether an image exists is the node's business (it pulls), as in Kubernetes. */
    static List<String> image(String image, SortedSet<String> knownImages) {
        if (image == null || image.isBlank()) return List.of("image must not be empty");
        String problem = ImageReference.problem(image);
        return problem == null ? List.of() : List.of(problem);
    }

    /**
     * Kubernetes' rules for a container's resources: quantities non-negative (and bounded), a request at most its
     * limit, extended resources by qualified name, never overcommitted (request equal to limit, the limit required).
     * Nothing is mandatory: a container without resources reserves nothing and runs without a cgroup cap.
     */
    static List<String> resources(ResourceRequirements r) {
        if (r == null) return List.of();
        List<String> problems = new ArrayList<>();
        ResourceList req = r.requests(), lim = r.limits();
        quantity(problems, "resources.requests.cpu", req.cpuMillis(), Limits.CPU_MILLIS_MAX, DeploymentRules::cpu);
        quantity(problems, "resources.limits.cpu", lim.cpuMillis(), Limits.CPU_MILLIS_MAX, DeploymentRules::cpu);
        quantity(problems, "resources.requests.memory", req.memoryBytes(), Limits.MEMORY_BYTES_MAX, String::valueOf);
        quantity(problems, "resources.limits.memory", lim.memoryBytes(), Limits.MEMORY_BYTES_MAX, String::valueOf);
        if (lim.cpuMillis() != null && lim.cpuMillis() == 0) {
            problems.add("resources.limits.cpu: Invalid value: \"0\": must be greater than 0 (leave the limit out for no cap)");
        }
        if (lim.memoryBytes() != null && lim.memoryBytes() > 0 && lim.memoryBytes() < MIN_MEMORY_BYTES) {
            problems.add("resources.limits.memory: Invalid value: \"" + lim.memoryBytes() + "\": must be at least 4Mi ("
                    + MIN_MEMORY_BYTES + ") for the container runtime");
        } else if (lim.memoryBytes() != null && lim.memoryBytes() == 0) {
            problems.add("resources.limits.memory: Invalid value: \"0\": must be greater than 0 (leave the limit out for no cap)");
        }
        if (req.cpuMillis() != null && lim.cpuMillis() != null && req.cpuMillis() > lim.cpuMillis()) {
            problems.add("resources.requests: Invalid value: \"" + cpu(req.cpuMillis()) + "\": must be less than or equal to cpu limit of "
                    + cpu(lim.cpuMillis()));
        }
        if (req.memoryBytes() != null && lim.memoryBytes() != null && req.memoryBytes() > lim.memoryBytes()) {
            problems.add("resources.requests: Invalid value: \"" + req.memoryBytes() + "\": must be less than or equal to memory limit of "
                    + lim.memoryBytes());
        }
        problems.addAll(extended("resources.requests", req.extended()));
        problems.addAll(extended("resources.limits", lim.extended()));
        for (Map.Entry<String, Long> e : req.extended().entrySet()) {
            Long limit = lim.extended().get(e.getKey());
            if (limit == null) {
                problems.add("resources.limits[" + Limits.excerpt(e.getKey(), 80) + "]: Required value: Limit must be set for non overcommitable resources");
            } else if (!limit.equals(e.getValue())) {
                problems.add("resources.requests[" + Limits.excerpt(e.getKey(), 80) + "]: Invalid value: \"" + e.getValue() + "\": must be equal to "
                        + Limits.excerpt(e.getKey(), 80) + " limit of " + limit);
            }
        }
        return problems;
    }

    private static void quantity(List<String> problems, String field, Long value, long max, java.util.function.LongFunction<String> text) {
        if (value == null) return;
        if (value < 0) problems.add(field + ": Invalid value: \"" + text.apply(value) + "\": must be greater than or equal to 0");
        else if (value > max) problems.add(field + ": Invalid value: \"" + text.apply(value) + "\": must be at most " + text.apply(max));
    }

    private static List<String> extended(String field, Map<String, Long> counts) {
        List<String> problems = new ArrayList<>();
        if (counts.size() > Limits.EXTENDED_RESOURCES_MAX_ENTRIES) {
            problems.add(field + ": has " + counts.size() + " extended resources, at most " + Limits.EXTENDED_RESOURCES_MAX_ENTRIES
                    + " are allowed");
            return problems;
        }
        counts.forEach((name, count) -> {
            String at = field + "[" + Limits.excerpt(name, 80) + "]";
            if (name.length() > Limits.EXTENDED_RESOURCE_NAME_MAX_LENGTH || !Limits.EXTENDED_RESOURCE_NAME.matcher(name).matches()) {
                problems.add(at + ": Invalid value: must be a standard resource (cpu, memory) or a fully qualified extended resource"
                        + " name with a domain prefix, e.g. nvidia.com/gpu or example.com/foo");
            } else if (isKubernetesDomain(name)) {
                problems.add(at + ": Invalid value: the kubernetes.io domain is reserved for Kubernetes' own resources;"
                        + " an extended resource needs another domain, e.g. example.com/foo");
            }
            if (count == null || count < 0) problems.add(at + ": Invalid value: \"" + count + "\": must be greater than or equal to 0");
            else if (count > Limits.EXTENDED_RESOURCE_MAX) {
                problems.add(at + ": Invalid value: \"" + count + "\": must be at most " + Limits.EXTENDED_RESOURCE_MAX);
            }
        });
        return problems;
    }

    private static boolean isKubernetesDomain(String name) {
        String domain = name.substring(0, name.indexOf('/'));
        return domain.equals("kubernetes.io") || domain.endsWith(".kubernetes.io");
    }

    /** A CPU quantity as Kubernetes prints it: "250m". */
    private static String cpu(long millis) { return millis + "m"; }
}
