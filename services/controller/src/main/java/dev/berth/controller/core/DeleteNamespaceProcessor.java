package dev.berth.controller.core;

import dev.berth.bus.contract.ConfigMapDeleted;
import dev.berth.bus.contract.ConfigMapSpec;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.SecretDeleted;
import dev.berth.bus.contract.SecretSpec;
import dev.berth.bus.contract.DeploymentDeleted;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.HorizontalPodAutoscalerDeleted;
import dev.berth.bus.contract.HorizontalPodAutoscalerSpec;
import dev.berth.bus.contract.NamespaceDeleted;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.ServiceDeleted;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletes a namespace the way Kubernetes' namespace controller does: it turns Terminating, everything
 * in it is deleted (its Services, its autoscalers, ConfigMaps and Secrets, its deployments, and so their pods, through the reconciler), and it is gone once
 * the last pod has stopped. {@code default} cannot be deleted.
 */
public final class DeleteNamespaceProcessor implements CommandProcessor<DeleteNamespace> {

    @Override
    public List<Event> process(ControllerState state, String commandId, DeleteNamespace command) {
        String name = command.name();
        if (Namespaces.DEFAULT.equals(name)) {
            return List.of(Verdicts.rejected(commandId, command,
                    List.of("namespaces \"default\" is forbidden: this namespace may not be deleted")));
        }
        Optional<NamespaceRecord> existing = state.namespace(name);
        if (existing.isEmpty()) return List.of(Verdicts.rejected(commandId, command, List.of(NamespaceRules.notFound(name))));
        if (existing.get().terminating()) {
            return List.of(Verdicts.accepted(commandId, command, "namespace " + name + " already terminating"));
        }
        List<Event> events = new ArrayList<>();
        events.add(new NamespaceDeleted(name));
        long pods = 0;
        List<DeploymentRecord> deployments = state.deploymentsIn(name);
        for (DeploymentRecord d : deployments) {
            events.add(new DeploymentDeleted(d.name(), d.generation(), name));
            pods += state.livePodsOf(d.key()).size();
        }
        List<ServiceRecord> services = state.servicesIn(name);
        for (ServiceRecord s : services) events.add(new ServiceDeleted(name, s.spec().name()));
        for (HorizontalPodAutoscalerSpec a : state.autoscalersIn(name)) events.add(new HorizontalPodAutoscalerDeleted(name, a.name()));
        for (ConfigMapSpec m : state.configMapsIn(name)) events.add(new ConfigMapDeleted(name, m.name()));
        for (SecretSpec s : state.secretsIn(name)) events.add(new SecretDeleted(name, s.name()));
        for (JobRecord j : state.jobsIn(name)) {
            events.add(new dev.berth.bus.contract.JobDeleted(j.name(), name, "namespace " + name + " deleted"));
            pods += state.livePodsOf(j.ownerKey()).size();
        }
        events.add(Verdicts.accepted(commandId, command, "namespace " + name + " deleted: "
                + (deployments.size() == 1 ? "1 deployment" : deployments.size() + " deployments") + " and "
                + Verdicts.pods(pods) + " will be stopped"));
        return events;
    }
}
