package dev.berth.controller.core;

import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.DeploymentEvent;
import dev.berth.bus.contract.NamespaceEvent;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodIntruderFound;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.ConfigMapEvent;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.SecretEvent;
import dev.berth.bus.contract.HorizontalPodAutoscalerEvent;
import dev.berth.bus.contract.JobEvent;
import dev.berth.bus.contract.ServiceEvent;

/** Where each controller event goes: its topic and key, as the topic catalogue says. */
public final class Outputs {
    private Outputs() {}

    public static Outbound route(Event event) {
        if (event instanceof CommandAccepted e) return new Outbound(Topic.COMMAND_RESULTS, e.commandId(), e);
        if (event instanceof CommandRejected e) return new Outbound(Topic.COMMAND_RESULTS, e.commandId(), e);
        if (event instanceof DeploymentEvent e) return new Outbound(Topic.DEPLOYMENTS, e.key(), e);
        if (event instanceof NamespaceEvent e) return new Outbound(Topic.DEPLOYMENTS, e.name(), e);
        if (event instanceof PodCreated e) return new Outbound(Topic.PODS, e.pod(), e);
        if (event instanceof PodDeletionRequested e) return new Outbound(Topic.PODS, e.pod(), e);
        if (event instanceof PodLost e) return new Outbound(Topic.PODS, e.pod(), e);
        if (event instanceof NodeStatusChanged e) return new Outbound(Topic.NODES, e.node(), e);
        if (event instanceof PodIntruderFound e) return new Outbound(Topic.NODES, e.node(), e);
        if (event instanceof ServiceEvent e) return new Outbound(Topic.SERVICES, e.key(), e);
        if (event instanceof Endpoints e) return new Outbound(Topic.ENDPOINTS, e.key(), e);
        if (event instanceof HorizontalPodAutoscalerEvent e) return new Outbound(Topic.AUTOSCALERS, e.key(), e);
        if (event instanceof ConfigMapEvent e) return new Outbound(Topic.CONFIG_MAPS, e.key(), e);
        if (event instanceof SecretEvent e) return new Outbound(Topic.SECRETS, e.key(), e);
        if (event instanceof JobEvent e) return new Outbound(Topic.JOBS, e.key(), e);
        throw new IllegalArgumentException("the controller does not publish " + event.getClass().getSimpleName());
    }

    /**
     * The key of the deployment an output is about (namespace/name, the bare name in default), or null
     * (node statuses, Services, endpoints, tombstones and answers to unreadable records have none).
     */
    public static String deploymentOf(Payload payload) {
        if (payload instanceof DeploymentEvent e) return e.key();
        if (payload instanceof JobEvent e) return JobRecord.ownerKey(e.namespace(), e.name());
        if (payload instanceof PodCreated e) return e.ofJob() ? JobRecord.ownerKey(e.namespace(), e.deployment()) : e.deploymentKey();
        if (payload instanceof PodDeletionRequested e) return e.ofJob() ? JobRecord.ownerKey(e.namespace(), e.deployment()) : e.deploymentKey();
        if (payload instanceof PodLost e) return e.ofJob() ? JobRecord.ownerKey(e.namespace(), e.deployment()) : e.deploymentKey();
        if (payload instanceof CommandAccepted e) return e.target();
        if (payload instanceof CommandRejected e) return e.target();
        return null;
    }
}
