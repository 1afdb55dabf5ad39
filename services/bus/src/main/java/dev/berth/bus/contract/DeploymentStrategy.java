package dev.berth.bus.contract;

/**
 * A Deployment's {@code spec.strategy}, as Kubernetes: {@code RollingUpdate} (the default) replaces pods a few at a
 * time within {@code maxSurge} extra and {@code maxUnavailable} missing pods, each a number or a percentage of the
 * replicas (defaults 25 % and 25 %); {@code Recreate} deletes every old pod before creating new ones.
 */
public record DeploymentStrategy(String type, String maxSurge, String maxUnavailable) {
    public static final String ROLLING_UPDATE = "RollingUpdate";
    public static final String RECREATE = "Recreate";
    public static final String DEFAULT_PERCENT = "25%";
    public static final DeploymentStrategy DEFAULT = new DeploymentStrategy(ROLLING_UPDATE, DEFAULT_PERCENT, DEFAULT_PERCENT);

    public DeploymentStrategy {
        type = type == null || type.isEmpty() ? ROLLING_UPDATE : type;
        if (ROLLING_UPDATE.equals(type)) {
            maxSurge = maxSurge == null || maxSurge.isEmpty() ? DEFAULT_PERCENT : maxSurge;
            maxUnavailable = maxUnavailable == null || maxUnavailable.isEmpty() ? DEFAULT_PERCENT : maxUnavailable;
        }
    }

    public static DeploymentStrategy recreate() { return new DeploymentStrategy(RECREATE, null, null); }

    public static DeploymentStrategy rolling(String maxSurge, String maxUnavailable) {
        return new DeploymentStrategy(ROLLING_UPDATE, maxSurge, maxUnavailable);
    }

    public boolean recreates() { return RECREATE.equals(type); }

    /** Extra pods allowed above the replicas: a percentage rounds up, as Kubernetes' ResolveFenceposts. */
    public int surge(int replicas) {
        if (recreates()) return 0;
        int surge = resolve(maxSurge, replicas, true);
        return surge == 0 && resolve(maxUnavailable, replicas, false) == 0 ? 0 : surge;
    }

    /** Pods allowed missing below the replicas: a percentage rounds down; both 0 would never progress, so it is then 1. */
    public int unavailable(int replicas) {
        if (recreates()) return replicas;
        int surge = resolve(maxSurge, replicas, true), unavailable = resolve(maxUnavailable, replicas, false);
        return surge == 0 && unavailable == 0 ? 1 : unavailable;
    }

    /** Whether {@code intOrPercent} is a percentage above 100 (too many to be unavailable). */
    public static boolean overHundredPercent(String intOrPercent) {
        if (intOrPercent == null || !intOrPercent.endsWith("%")) return false;
        try {
            return Long.parseLong(intOrPercent.substring(0, intOrPercent.length() - 1)) > 100;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether {@code intOrPercent} is 0 or 0 %. */
    public static boolean zero(String intOrPercent) {
        return intOrPercent != null && (intOrPercent.equals("0%") || intOrPercent.matches("0+%?"));
    }

    /** A number, or a percentage of {@code replicas}; a malformed value (validation refuses it) counts as 0. */
    static int resolve(String intOrPercent, int replicas, boolean roundUp) {
        if (intOrPercent == null) return 0;
        try {
            if (intOrPercent.endsWith("%")) {
                long percent = Long.parseLong(intOrPercent.substring(0, intOrPercent.length() - 1));
                long scaled = percent * replicas;
                return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
            }
            return Integer.parseInt(intOrPercent);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
