package dev.berth.bus.contract;

/** What an autoscaler scales (autoscaling/v2 CrossVersionObjectReference): a Deployment in the autoscaler's namespace. */
public record ScaleTargetRef(String apiVersion, String kind, String name) {
    public static final String DEPLOYMENT = "Deployment";

    public ScaleTargetRef {
        apiVersion = apiVersion == null ? "apps/v1" : apiVersion;
        kind = kind == null ? DEPLOYMENT : kind;
    }

    public static ScaleTargetRef deployment(String name) { return new ScaleTargetRef("apps/v1", DEPLOYMENT, name); }
}
