package dev.berth.node.image;

import java.util.List;
import java.util.Map;

/**
 * The resolved process of a container: what goes into the OCI runtime config's {@code process}
 * ({@code args}, {@code env} as KEY=VALUE in this order, {@code cwd}, {@code user.uid/gid/additionalGids}).
 */
public record ProcessSpec(List<String> argv, Map<String, String> env, String cwd, long uid, long gid,
                          List<Long> additionalGids) {

    /** Kubernetes' waiting reason for a container whose config cannot be made. */
    public static final String CONFIG_ERROR = "CreateContainerConfigError";

    public ProcessSpec {
        argv = List.copyOf(argv);
        env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
        additionalGids = List.copyOf(additionalGids);
    }

    /** {@code KEY=VALUE} strings, as execve and the runtime spec want them. */
    public List<String> envList() {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
