package dev.berth.proxy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Picks the endpoint for a new connection by the power of two choices: draw two distinct
 * candidates at random and take the one with fewer active connections, the first drawn on a tie.
 * Ties do not look at connections served in total: a pod added after a million connections would
 * otherwise win every draw it is in until it had served a million too. Candidates are the ready endpoints serving the port that have not
 * already failed to connect in this attempt. Pure: load and randomness come in as arguments, so a
 * seeded random gives the same choices every time.
 */
public final class Balancer {
    /** Active connections per endpoint, read by the shell from its counters. */
    @FunctionalInterface
    public interface Load {
        long active(EndpointAddress endpoint);

        Load NONE = endpoint -> 0;
    }

    /** A source of uniform ints in [0, bound), e.g. {@code new Random(seed)::nextInt}. */
    public interface RandomSource {
        int nextInt(int bound);
    }

    private Balancer() {}

    /**
     * As {@link #choose(ServiceEndpoints, String, Set, Load, RandomSource)}, leaving out ejected
     * endpoints too — unless nothing else is left, when an ejected endpoint is better than refusing.
     */
    public static Choice choose(ServiceEndpoints service, String portName, Set<EndpointAddress> failedThisAttempt,
                                Set<EndpointAddress> ejected, Load load, RandomSource random) {
        if (ejected.isEmpty()) {
            return choose(service, portName, failedThisAttempt, load, random);
        }
        Set<EndpointAddress> both = new java.util.HashSet<>(failedThisAttempt);
        both.addAll(ejected);
        Choice healthy = choose(service, portName, both, load, random);
        return healthy instanceof Choice.Chosen ? healthy : choose(service, portName, failedThisAttempt, load, random);
    }

    public static Choice choose(ServiceEndpoints service, String portName, Set<EndpointAddress> excluded,
                                Load load, RandomSource random) {
        if (service.port(portName).isEmpty()) {
            return new Choice.Refused("service " + service.key() + " has no port \"" + portName + "\"");
        }
        List<Choice.Chosen> candidates = new ArrayList<>();
        int notReady = 0;
        int serving = 0;
        for (Endpoint e : service.endpoints()) {
            int port = e.targetPort(portName);
            if (port == 0) {
                continue;
            }
            serving++;
            if (!e.ready()) {
                notReady++;
                continue;
            }
            EndpointAddress address = new EndpointAddress(e.ip(), port);
            if (!excluded.contains(address)) {
                candidates.add(new Choice.Chosen(e, address));
            }
        }
        if (candidates.isEmpty()) {
            return new Choice.Refused(refusal(service, portName, serving, notReady, excluded));
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        int first = random.nextInt(candidates.size());
        int second = random.nextInt(candidates.size() - 1);
        if (second >= first) {
            second++;
        }
        Choice.Chosen a = candidates.get(first);
        Choice.Chosen b = candidates.get(second);
        return lighter(a, b, load) ? a : b;
    }

    /** True when {@code a} should win over {@code b}: fewer active connections, else a (drawn first). */
    static boolean lighter(Choice.Chosen a, Choice.Chosen b, Load load) {
        return load.active(a.address()) <= load.active(b.address());
    }

    private static String refusal(ServiceEndpoints service, String portName, int serving, int notReady, Set<EndpointAddress> excluded) {
        String port = service.key() + ":" + portName;
        if (serving == 0) {
            return service.endpoints().isEmpty()
                    ? "service " + service.key() + " has no endpoints"
                    : "no endpoint of " + service.key() + " serves port \"" + portName + "\"";
        }
        if (serving == notReady) {
            return "service " + port + " has no ready endpoints (" + notReady + " not ready)";
        }
        return "every ready endpoint of " + port + " failed to connect: " + excluded.stream().map(Object::toString).sorted().toList();
    }
}
