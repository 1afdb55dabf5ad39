package dev.berth.cli;

import picocli.CommandLine.ParameterException;

/** Parses kubectl-style references: {@code deployment/web}, {@code deploy/web}. */
final class ResourceRef {
    private ResourceRef() {}

    static String deploymentName(String ref) {
        int slash = ref.indexOf('/');
        if (slash < 0) return ref;
        String kind = ref.substring(0, slash);
        if (!kind.equals("deployment") && !kind.equals("deployments") && !kind.equals("deploy")) {
            throw new IllegalArgumentException("expected deployment/NAME, got " + ref);
        }
        return ref.substring(slash + 1);
    }
}
