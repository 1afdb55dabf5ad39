package dev.berth.node.core;

import java.time.Instant;

/**
 * A container a (re)started agent finds in its runtime: started by an earlier agent process for this
 * node, it may still run or may have ended meanwhile.
 *
 * @param startedAt          when it was created, for the back-off reset
 * @param restarts           restart count and back-off steps of the pod when this container was started
 * @param gracePeriodSeconds TERM-to-KILL time, needed when its pod is no longer placed here
 * @param exit               how it ended (for the same pod and restart count), null while it runs
 * @param imageID            the image it was started from ({@code repo@sha256:…}); null where unknown
 * @param podIP              its pod's IP, when the pod's network was adopted (CNI CHECK) with it; null: none
 */
public record FoundContainer(String pod, long pid, Instant startedAt, int restarts, int backoffSteps,
                             int gracePeriodSeconds, ContainerExit exit, String imageID, String podIP) {

    public FoundContainer(String pod, long pid, Instant startedAt, int restarts, int backoffSteps,
                          int gracePeriodSeconds, ContainerExit exit, String imageID) {
        this(pod, pid, startedAt, restarts, backoffSteps, gracePeriodSeconds, exit, imageID, null);
    }

    public FoundContainer withPodIP(String ip) {
        return new FoundContainer(pod, pid, startedAt, restarts, backoffSteps, gracePeriodSeconds, exit, imageID, ip);
    }

    public FoundContainer(String pod, long pid, Instant startedAt, int restarts, int backoffSteps,
                          int gracePeriodSeconds, ContainerExit exit) {
        this(pod, pid, startedAt, restarts, backoffSteps, gracePeriodSeconds, exit, null);
    }

    public boolean running() { return exit == null; }
}
