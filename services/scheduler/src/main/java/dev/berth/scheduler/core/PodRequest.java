package dev.berth.scheduler.core;

import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.Toleration;
import java.util.List;
import java.util.Map;

/**
 * What a pod asks of a node, as the plugins see it.
 *
 * @param deployment its deployment's key ({@link dev.berth.bus.contract.Namespaces#key}: namespace/name, the bare
 *                   name in default): replicas are spread per deployment, and two namespaces may hold the same name
 */
public record PodRequest(String pod, String deployment, PodTemplate template) {

    public static PodRequest of(PodCreated created) {
        return new PodRequest(created.pod(), created.deploymentKey(), created.template());
    }

    /** The pod's limits, which the scheduler reserves; a pod without limits reserves nothing. */
    public Resources resources() {
        return template == null || template.resources() == null ? Resources.ZERO : template.resources();
    }

    /** Labels a node must carry, all of them; empty: any node. */
    public Map<String, String> nodeSelector() { return template == null ? Map.of() : template.nodeSelector(); }

    /** The taints the pod tolerates. */
    public List<Toleration> tolerations() { return template == null ? List.of() : template.tolerations(); }
}
