package dev.berth.bus.contract;

import java.util.List;
import java.util.Map;

/**
 * What every replica of a deployment runs: one container.
 *
 * @param restartPolicy                 Always, OnFailure or Never
 * @param terminationGracePeriodSeconds time between TERM and KILL when the pod is stopped
 */
public record PodTemplate(String image, List<String> command, List<String> args, Map<String, String> env,
                          Resources resources, String restartPolicy, int terminationGracePeriodSeconds) {

    public static final String DEFAULT_RESTART_POLICY = "Always";
    public static final int DEFAULT_GRACE_SECONDS = 10;

    public PodTemplate {
        command = command == null ? List.of() : List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        restartPolicy = restartPolicy == null ? DEFAULT_RESTART_POLICY : restartPolicy;
    }
}
