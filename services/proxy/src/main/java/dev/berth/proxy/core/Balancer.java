package dev.berth.proxy.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Picks the endpoint for a new connection by the power of two choices: draw two distinct
 * candidates at random and take the one with fewer active connections (then fewer connections in
 * total, then the first drawn). Candidates are the ready endpoints serving the port that have not
 * already failed to connect in this attempt. Pure: load and randomness come in as arguments, so a
 * seeded random gives the same choices every time.
 */
public final class Balancer {
    /** The connection counts the choice compares, read by the shell from its counters. */
    public interface Load {
        long active(EndpointAddress endpoint);

        long total(EndpointAddress endpoint);

        Load NONE = new Load() {
            @Override
            public long active(EndpointAddress endpoint) {
                return 0;
            }

            @Override
            public long total(EndpointAddress endpoint) {
                return 0;
            }
        };
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

    /** True when {@code a} should win over {@code b}: fewer active, then fewer total, then a. */
    static boolean lighter(Choice.Chosen a, Choice.Chosen b, Load load) {
        long activeA = load.active(a.address());
        long activeB = load.active(b.address());
        if (activeA != activeB) {
            return activeA < activeB;
        }
        return load.total(a.address()) <= load.total(b.address());
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
