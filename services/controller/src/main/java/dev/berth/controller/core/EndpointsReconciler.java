package dev.berth.controller.core;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' endpoints controller, level-triggered and pure: a Service's Endpoints record is every pod of its
 * namespace that carries all of its selector's labels and has an IP, ready when Running and passing its readiness
 * probe (a pod being deleted is listed not ready, so proxies drain it), with each Service port's target resolved
 * for that pod. A Service without a selector gets no managed endpoints. Only records that differ from the last
 * published one go out (a {@link #resync} sends them all); a deleted Service's record gets a tombstone.
 */
public final class EndpointsReconciler {
    private EndpointsReconciler() {}

    /** The Endpoints that changed since last published, and tombstones for deleted Services. */
    public static Decision<ControllerState> reconcile(ControllerState state) { return publish(state, false); }

    /** Every Service's Endpoints again, whether changed or not (the periodic safety net), and the tombstones. */
    public static Decision<ControllerState> resync(ControllerState state) { return publish(state, true); }

    private static Decision<ControllerState> publish(ControllerState state, boolean all) {
        List<Outbound> outputs = new ArrayList<>();
        List<Endpoints> changed = new ArrayList<>();
        Map<String, List<PodRecord>> podsByNamespace = new java.util.HashMap<>(); // one walk of the pods per namespace
        for (ServiceRecord s : state.services().values()) {
            Endpoints now = of(s.spec(), podsByNamespace.computeIfAbsent(s.spec().namespace(), state::podsIn));
            if (all || !now.equals(state.publishedEndpoints().get(s.key()))) changed.add(now);
        }
        ControllerState after = EventAppliers.applyAll(state, changed, null);
        for (Endpoints e : changed) outputs.add(Outputs.route(e));
        for (String key : List.copyOf(state.publishedEndpoints().keySet())) {
            if (state.services().containsKey(key)) continue;
            outputs.add(Outbound.tombstone(Topic.ENDPOINTS, key));
            after = EventAppliers.endpointsRemoved(after, key);
        }
        return Decision.of(after, outputs);
    }

    /** The Endpoints of {@code service} given the pods of its namespace (sorted by name). */
    public static Endpoints of(ServiceSpec service, List<PodRecord> podsOfNamespace) {
        List<EndpointAddress> addresses = new ArrayList<>();
        for (PodRecord pod : podsOfNamespace) {
            if (!pod.namespace().equals(service.namespace()) || pod.podIP() == null || !service.selects(pod.labels())) continue;
            boolean ready = pod.isRunning() && pod.ready() && !pod.deletionRequested();
            addresses.add(new EndpointAddress(pod.name(), pod.node(), pod.podIP(), ready, targetPorts(service.ports(), pod)));
        }
        return new Endpoints(service.namespace(), service.name(), service.type(), service.clusterIP(), service.ports(), addresses);
    }

    /** Per Service port (by name, "" for a single unnamed one), the pod's port; a named target the pod lacks is left out. */
    static Map<String, Integer> targetPorts(List<ServicePort> ports, PodRecord pod) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ServicePort p : ports) {
            if (p.targetPortName() == null) {
                out.put(p.nameOrEmpty(), p.targetNumber());
                continue;
            }
            Integer resolved = namedPort(pod, p.targetPortName(), p.protocol());
            if (resolved != null) out.put(p.nameOrEmpty(), resolved);
        }
        return out;
    }

    private static Integer namedPort(PodRecord pod, String name, String protocol) {
        if (pod.template() == null || pod.template().ports() == null) return null;
        for (ContainerPort cp : pod.template().ports()) {
            if (name.equals(cp.name()) && protocol.equals(cp.protocol())) return cp.containerPort();
        }
        return null;
    }
}
