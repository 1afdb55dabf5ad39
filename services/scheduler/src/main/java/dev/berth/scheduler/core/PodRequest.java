package dev.berth.scheduler.core;

import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;

/** What a pod asks of a node, as the plugins see it. */
public record PodRequest(String pod, String deployment, PodTemplate template) {

    public static PodRequest of(PodCreated created) {
        return new PodRequest(created.pod(), created.deployment(), created.template());
    }

    /** The pod's limits, which the scheduler reserves; a pod without limits reserves nothing. */
    public Resources resources() {
        return template == null || template.resources() == null ? Resources.ZERO : template.resources();
    }
}
