package dev.berth.node.image;

import dev.berth.bus.ImageReference;

/** Kubernetes' imagePullPolicy. */
public enum PullPolicy {
    ALWAYS("Always"), IF_NOT_PRESENT("IfNotPresent"), NEVER("Never");

    private final String kubernetesName;

    PullPolicy(String kubernetesName) {
        this.kubernetesName = kubernetesName;
    }

    public String kubernetesName() {
        return kubernetesName;
    }

    /** The field's value, or Kubernetes' default when unset: Always for {@code :latest} or no tag, else IfNotPresent. */
    public static PullPolicy of(String field, ImageReference ref) {
        if (field == null || field.isEmpty()) return ref.isLatest() ? ALWAYS : IF_NOT_PRESENT;
        for (PullPolicy p : values()) if (p.kubernetesName.equals(field)) return p;
        throw new IllegalArgumentException("imagePullPolicy must be Always, IfNotPresent or Never, not \"" + field + "\"");
    }
}
