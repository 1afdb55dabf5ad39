package dev.berth.node;

import dev.berth.bus.contract.Container;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.node.core.PodContainers;
import dev.berth.node.core.ContainerExit;
import dev.berth.node.core.FoundContainer;
import dev.berth.node.core.NodeAction;
import dev.berth.node.runtime.ContainerInfo;
import dev.berth.node.runtime.ContainerSpec;
import java.util.Map;

/**
 * What the agent writes into each container's OCI annotations. runc keeps them in its state next to
 * the container, so an agent that restarted reads back the restart count and back-off of what it
 * adopts, and the grace period of a pod released while it was down. No extra state file needed.
 */
public final class PodAnnotations {
    private PodAnnotations() {}

    static final String RESTARTS = "dev.berth.restarts";
    static final String BACKOFF_STEPS = "dev.berth.backoff-steps";
    static final String GRACE_SECONDS = "dev.berth.grace-seconds";
    /** Written by the runc runtime: the image a container was started from, reported again on adoption. */
    static final String IMAGE_ID = "dev.berth.image-id";

    static Map<String, String> of(int restarts, int backoffSteps, int graceSeconds) {
        return Map.of(RESTARTS, Integer.toString(restarts), BACKOFF_STEPS, Integer.toString(backoffSteps),
                GRACE_SECONDS, Integer.toString(graceSeconds));
    }

    /** A container found in the runtime, as the core's adoption input; its id is its runtime id ({@link PodContainers}). */
    public static FoundContainer found(ContainerInfo c) {
        int restarts = number(c.annotations(), RESTARTS, 0);
        ContainerExit exit = c.running() ? null : new ContainerExit(c.id(), restarts, c.exit().code(), c.exit().oomKilled());
        return new FoundContainer(c.id(), c.pid(), c.created(), restarts, number(c.annotations(), BACKOFF_STEPS, 0),
                number(c.annotations(), GRACE_SECONDS, PodTemplate.DEFAULT_GRACE_SECONDS), exit, c.annotations().get(IMAGE_ID));
    }

    /** What the runtime is asked to run for a start the core decided on, its annotations included. */
    public static ContainerSpec spec(NodeAction.StartContainer start) {
        PodTemplate pod = start.template();
        Container c = PodContainers.containerOf(start.pod(), pod); // start.pod(): the container's runtime id
        if (c == null) throw new IllegalArgumentException("pod has no container for runtime id " + start.pod());
        return ContainerSpec.of(start.pod(), c.image(), c.command()).withArgs(c.args())
                .withImagePullPolicy(c.imagePullPolicy()).withEnv(c.env())
                .withProcess(c.workingDir(), c.securityContext())
                .withLimits(limit(c.resources().limits().cpuMillis()), limit(c.resources().limits().memoryBytes()))
                .withAnnotations(of(start.restarts(), start.backoffSteps(), pod.terminationGracePeriodSeconds()));
    }

    /** A limit for the runtime: none set is 0, which runs the container without that cgroup cap (as the kubelet does). */
    static long limit(Long value) { return value == null ? 0 : value; }

    private static int number(Map<String, String> annotations, String key, int otherwise) {
        try {
            return Integer.parseInt(annotations.getOrDefault(key, Integer.toString(otherwise)));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
