package dev.berth.node.core;

/** When the node agent restarts a pod's container after it ended (Kubernetes' restartPolicy). */
public enum RestartPolicy {
    Always, OnFailure, Never;

    /** The template's policy; anything unknown counts as Always, the default (the controller rejects unknown ones). */
    public static RestartPolicy of(String name) {
        for (RestartPolicy p : values()) if (p.name().equals(name)) return p;
        return Always;
    }

    /** Whether {@code name} is one of the policies (null counts: it means the default). */
    public static boolean known(String name) {
        if (name == null) return true;
        for (RestartPolicy p : values()) if (p.name().equals(name)) return true;
        return false;
    }

    /**
     * Whether a container that ended with this exit code is started again; {@code null} means it
     * never ran (start failure) or its code is unknown, which counts as a failure.
     */
    public boolean restartsAfter(Integer exitCode) {
        switch (this) {
            case Always: return true;
            case OnFailure: return exitCode == null || exitCode != 0;
            default: return false;
        }
    }
}
