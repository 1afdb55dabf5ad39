package dev.berth.controller.core;

import dev.berth.bus.Limits;
import dev.berth.bus.Validation;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
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
        problems.addAll(name(spec.name()));
        problems.addAll(NamespaceRules.name(spec.namespace()));
        problems.addAll(replicas(spec.replicas()));
        problems.addAll(template(spec.template(), knownImages));
        return problems;
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
        problems.addAll(image(t.image(), knownImages));
        problems.addAll(resources(t.resources()));
        if (!RESTART_POLICIES.contains(t.restartPolicy())) {
            problems.add("restartPolicy must be Always, OnFailure or Never, got '" + Limits.excerpt(t.restartPolicy(), 80) + "'");
        }
        if (t.imagePullPolicy() != null && !PodTemplate.PULL_POLICIES.contains(t.imagePullPolicy())) {
            problems.add("imagePullPolicy must be Always, IfNotPresent or Never, got '" + t.imagePullPolicy() + "'");
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

    static List<String> resources(Resources r) {
        if (r == null) return List.of("resources are required: set cpuMillis and memoryBytes");
        List<String> problems = new ArrayList<>();
        if (r.cpuMillis() <= 0) problems.add("cpuMillis must be greater than 0, got " + r.cpuMillis());
        if (r.memoryBytes() < MIN_MEMORY_BYTES) {
            problems.add("memoryBytes must be at least 4 MiB (" + MIN_MEMORY_BYTES + ") for the container runtime, got "
                    + r.memoryBytes());
        }
        return problems;
    }
}
