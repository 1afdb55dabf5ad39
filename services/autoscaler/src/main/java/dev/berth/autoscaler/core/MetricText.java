package dev.berth.autoscaler.core;

import dev.berth.bus.contract.MetricSpec;
import dev.berth.bus.contract.MetricTarget;

/** How Kubernetes names a metric in its events ("cpu resource utilization (percentage of request)") and values as quantities. */
public final class MetricText {
    private static final long KI = 1024, MI = KI * 1024, GI = MI * 1024;

    private MetricText() {}

    public static boolean utilization(MetricSpec m) { return MetricTarget.UTILIZATION.equals(m.target().type()); }

    /** The name horizontal.go gives the metric in its rescale reasons. */
    public static String name(MetricSpec m) {
        if (MetricSpec.RESOURCE.equals(m.type())) return m.name() + " resource" + (utilization(m) ? " utilization (percentage of request)" : "");
        return "pods metric " + m.name();
    }

    /** {@code current/target}: "160%/50%", "250m/100m", "300Mi/256Mi", "12500m/10". */
    public static String values(MetricSpec m, long current) {
        if (utilization(m)) return current + "%/" + m.target().averageUtilization() + "%";
        return quantity(m, current) + "/" + quantity(m, m.target().averageValueMilli());
    }

    /** A milli-value as a Kubernetes quantity: cpu in millicores, memory in binary units, other metrics whole or milli. */
    static String quantity(MetricSpec m, long milli) {
        if (MetricSpec.RESOURCE.equals(m.type()) && MetricSpec.CPU.equals(m.name())) return milli + "m";
        if (MetricSpec.RESOURCE.equals(m.type()) && MetricSpec.MEMORY.equals(m.name()) && milli % 1000 == 0) {
            long bytes = milli / 1000;
            if (bytes != 0 && bytes % GI == 0) return bytes / GI + "Gi";
            if (bytes != 0 && bytes % MI == 0) return bytes / MI + "Mi";
            if (bytes != 0 && bytes % KI == 0) return bytes / KI + "Ki";
            return Long.toString(bytes);
        }
        return milli % 1000 == 0 ? Long.toString(milli / 1000) : milli + "m";
    }
}
