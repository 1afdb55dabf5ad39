package dev.berth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.berth.bus.Json;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.ContainerStatus;
import dev.berth.bus.contract.DeploymentCondition;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.NodeResources;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Selector;
import dev.berth.bus.contract.ServicePort;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster view as Kubernetes objects, the shapes {@code kubectl get -o json|yaml} prints: a
 * {@code List} of items, or the one object asked for by name. Fields Berth does not know yet (pod
 * IPs, image digests) are left out rather than invented.
 */
final class KubeObjects {
    private KubeObjects() {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)); // pods: "110" stays a string

    static String json(ObjectNode node) { return node.toPrettyString() + System.lineSeparator(); }

    static String yaml(ObjectNode node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode pods(ClusterView view, Selection selection) { return pods(view, selection, GetCommand.DEFAULT_NAMESPACE); }

    /** The pods selected of the namespaces {@code ns} shows; the one object itself when asked for by name. */
    static ObjectNode pods(ClusterView view, Selection selection, NamespaceOptions ns) {
        String only = selection.name();
        ObjectNode list = list();
        for (ClusterView.PodRow p : view.pods()) {
            if (!ns.shows(p.namespace) || !selection.test(p.name, p.labels())) continue;
            ObjectNode pod = pod(p);
            if (only != null) return pod;
            list.withArray("items").add(pod);
        }
        return list;
    }

    static ObjectNode pod(ClusterView.PodRow p) {
        ObjectNode item = Json.object().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = item.putObject("metadata").put("name", p.name).put("namespace", p.namespace);
        if (p.created != null) meta.put("creationTimestamp", p.created.toString());
        if (!p.labels().isEmpty()) meta.set("labels", labels(p.labels()));
        ObjectNode spec = item.putObject("spec");
        if (p.node != null) spec.put("nodeName", p.node);
        String container = p.deployment != null ? p.deployment : p.name;
        if (p.template != null) {
            for (var init : p.template.initContainers()) container(spec.withArray("initContainers").addObject(), init, init.name());
            for (var app : p.template.containers()) container(spec.withArray("containers").addObject(), app, app.name() == null ? container : app.name());
            PodConfigManifest.write(spec, p.template);
            spec.put("restartPolicy", p.template.restartPolicy()).put("terminationGracePeriodSeconds", p.template.terminationGracePeriodSeconds());
        }
        ObjectNode status = item.putObject("status").put("phase", p.phase());
        if (p.message != null) status.put("message", p.message);
        if (p.started != null) status.put("startTime", p.started.toString());
        if (p.podIP != null) {
            status.put("podIP", p.podIP);
            status.putArray("podIPs").addObject().put("ip", p.podIP);
        }
        ArrayNode conditions = status.putArray("conditions");
        condition(conditions, "PodScheduled", p.node != null, p.scheduled, p.node == null && p.message != null ? "Unschedulable" : null);
        boolean initialized = p.started != null && p.initContainerStatuses.stream().allMatch(ContainerStatus::ready);
        condition(conditions, "Initialized", initialized, p.started, null);
        condition(conditions, "ContainersReady", p.isReady(), p.runningSince, null);
        condition(conditions, "Ready", p.isReady(), p.runningSince, null);
        if (!p.containerStatuses.isEmpty()) { // a pod of several containers: each as its node reported it
            for (ContainerStatus cs : p.initContainerStatuses) containerStatus(status.withArray("initContainerStatuses").addObject(), cs, p);
            for (ContainerStatus cs : p.containerStatuses) containerStatus(status.withArray("containerStatuses").addObject(), cs, p);
        } else if (p.state != null) {
            ObjectNode cs = status.putArray("containerStatuses").addObject().put("name", container)
                    .put("ready", p.isReady()).put("restartCount", p.restarts).put("started", p.state == ContainerState.Running);
            if (p.template != null) cs.put("image", p.template.image());
            if (p.imageID != null) cs.put("imageID", p.imageID);
            state(cs.putObject("state"), p);
        }
        return item;
    }

    /** One container of the template as Kubernetes' spec.containers[] has it. */
    private static void container(ObjectNode c, dev.berth.bus.contract.Container t, String name) {
        c.put("name", name).put("image", t.image());
        if (!t.command().isEmpty()) t.command().forEach(c.putArray("command")::add);
        if (!t.args().isEmpty()) t.args().forEach(c.putArray("args")::add);
        if (!t.ports().isEmpty()) {
            var ports = c.putArray("ports");
            for (var p : t.ports()) {
                ObjectNode o = ports.addObject().put("containerPort", p.containerPort());
                if (p.hostPort() > 0) o.put("hostPort", p.hostPort());
                if (p.name() != null) o.put("name", p.name());
                o.put("protocol", p.protocol());
            }
        }
        ResourceText.put(c, t.resources());
        PodConfigManifest.write(c, t);
    }

    /** One entry of status.containerStatuses[] or initContainerStatuses[]. */
    private static void containerStatus(ObjectNode out, ContainerStatus cs, ClusterView.PodRow p) {
        out.put("name", cs.name()).put("ready", !p.deleting && cs.ready()).put("restartCount", cs.restartCount())
                .put("started", cs.state() == ContainerState.Running);
        if (cs.image() != null) out.put("image", cs.image());
        if (cs.imageID() != null) out.put("imageID", cs.imageID());
        ObjectNode state = out.putObject("state");
        switch (cs.state()) {
            case Running -> state.putObject("running");
            case Exited, Failed, Stopped -> {
                ObjectNode t = state.putObject("terminated");
                if (cs.exitCode() != null) t.put("exitCode", cs.exitCode());
                t.put("reason", cs.reason() != null ? cs.reason() : cs.exitCode() != null && cs.exitCode() == 0 ? "Completed" : "Error");
            }
            default -> state.putObject("waiting").put("reason", cs.reason() != null ? cs.reason() : "ContainerCreating");
        }
    }

    private static void condition(ArrayNode conditions, String type, boolean holds, Instant since, String reason) {
        ObjectNode c = conditions.addObject().put("type", type).put("status", holds ? "True" : "False");
        if (since != null && holds) c.put("lastTransitionTime", since.toString());
        if (reason != null) c.put("reason", reason);
    }

    /** The container's state as Kubernetes names it: running, waiting (with its reason) or terminated. */
    private static void state(ObjectNode state, ClusterView.PodRow p) {
        switch (p.state) {
            case Running -> {
                ObjectNode running = state.putObject("running");
                if (p.runningSince != null) running.put("startedAt", p.runningSince.toString());
            }
            case Exited, Failed, Stopped -> {
                ObjectNode t = state.putObject("terminated");
                if (p.exitCode != null) t.put("exitCode", p.exitCode);
                if (p.reason != null) t.put("reason", p.reason);
                if (p.message != null) t.put("message", p.message);
            }
            default -> {
                ObjectNode w = state.putObject("waiting");
                w.put("reason", p.reason != null ? p.reason : "ContainerCreating");
                if (p.message != null) w.put("message", p.message);
            }
        }
    }


    static ObjectNode nodes(ClusterView view, Instant now, Selection selection) {
        String only = selection.name();
        ObjectNode list = list();
        for (ClusterView.NodeRow n : view.nodes()) {
            if (!selection.test(n.name, n.labels)) continue;
            ObjectNode item = Json.object().put("apiVersion", "v1").put("kind", "Node");
            ObjectNode meta = item.putObject("metadata").put("name", n.name);
            if (n.startedAt != null) meta.put("creationTimestamp", n.startedAt.toString());
            if (!n.labels.isEmpty()) meta.set("labels", labels(n.labels));
            ObjectNode spec = item.putObject("spec");
            if (n.podCIDR != null) {
                spec.put("podCIDR", n.podCIDR);
                spec.putArray("podCIDRs").add(n.podCIDR);
            }
            if (n.cordoned) spec.put("unschedulable", true);
            ObjectNode status = item.putObject("status");
            status.put("phase", n.status(now));
            ObjectNode ready = status.putArray("conditions").addObject().put("type", "Ready")
                    .put("status", "Ready".equals(n.readiness(now)) ? "True" : "False");
            if (n.statusReason != null) ready.put("message", n.statusReason);
            if (n.lastHeartbeat != null) ready.put("lastHeartbeatTime", n.lastHeartbeat.toString());
            if (n.capacity != null) status.set("capacity", resources(n.capacity));
            if (n.allocatable != null) status.set("allocatable", resources(n.allocatable));
            status.put("pods", view.podsOn(n.name).size());
            if (only != null) return item;
            list.withArray("items").add(item);
        }
        return list;
    }

    static ObjectNode deployments(ClusterView view, Selection selection) { return deployments(view, selection, GetCommand.DEFAULT_NAMESPACE); }

    static ObjectNode deployments(ClusterView view, Selection selection, NamespaceOptions ns) {
        String only = selection.name();
        ObjectNode list = list();
        for (ClusterView.DeploymentRow d : view.deployments()) {
            if (!ns.shows(d.namespace()) || !selection.test(d.spec.name(), d.spec.labels())) continue;
            ObjectNode item = deployment(view, d);
            if (only != null) return item;
            list.withArray("items").add(item);
        }
        return list;
    }

    /** A Deployment as apps/v1 has it: its rollout fields, annotations (with the revision, as Kubernetes sets it) and status. */
    static ObjectNode deployment(ClusterView view, ClusterView.DeploymentRow d) {
        ObjectNode item = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
        ObjectNode meta = item.putObject("metadata").put("name", d.spec.name()).put("namespace", d.namespace()).put("generation", d.generation);
        if (d.created != null) meta.put("creationTimestamp", d.created.toString());
        if (!d.spec.labels().isEmpty()) meta.set("labels", labels(d.spec.labels()));
        Map<String, String> annotations = new TreeMap<>(d.spec.annotations());
        if (d.revision > 0) annotations.put(DeploymentDescription.REVISION_ANNOTATION, Long.toString(d.revision));
        if (!annotations.isEmpty()) meta.set("annotations", labels(annotations));
        ObjectNode spec = item.putObject("spec").put("replicas", d.spec.replicas());
        spec.set("selector", selector(d.spec.effectiveSelector()));
        DeploymentSpec.Rollout r = d.spec.rollout();
        ObjectNode strategy = spec.putObject("strategy").put("type", r.strategy().type());
        if (!r.strategy().recreates()) {
            ObjectNode rolling = strategy.putObject("rollingUpdate");
            intOrPercent(rolling, "maxSurge", r.strategy().maxSurge());
            intOrPercent(rolling, "maxUnavailable", r.strategy().maxUnavailable());
        }
        if (r.minReadySeconds() > 0) spec.put("minReadySeconds", r.minReadySeconds());
        spec.put("progressDeadlineSeconds", r.progressDeadlineSeconds()).put("revisionHistoryLimit", r.revisionHistoryLimit());
        if (r.paused()) spec.put("paused", true);
        PodTemplate t = d.spec.template();
        ObjectNode template = spec.putObject("template");
        if (!t.labels().isEmpty() || !t.annotations().isEmpty()) {
            ObjectNode tm = template.putObject("metadata");
            if (!t.labels().isEmpty()) tm.set("labels", labels(t.labels()));
            if (!t.annotations().isEmpty()) tm.set("annotations", labels(t.annotations()));
        }
        ObjectNode podSpec = template.putObject("spec");
        if (t.containers().size() == 1 && t.initContainers().isEmpty()) { // as before several containers (unchanged output)
            ObjectNode c = podSpec.putArray("containers").addObject().put("name", d.spec.name()).put("image", t.image());
            ports(c, t);
            ResourceText.put(c, t.resources());
            PodConfigManifest.write(c, t.main());
        } else {
            for (var init : t.initContainers()) container(podSpec.withArray("initContainers").addObject(), init, init.name());
            for (var app : t.containers()) container(podSpec.withArray("containers").addObject(), app, app.name());
        }
        PodConfigManifest.write(podSpec, t);
        ClusterView.Counts n = view.counts(d);
        ObjectNode status = item.putObject("status").put("observedGeneration", n.observedGeneration()).put("replicas", n.replicas())
                .put("updatedReplicas", n.updated()).put("readyReplicas", n.ready()).put("availableReplicas", n.available())
                .put("unavailableReplicas", n.unavailable());
        if (n.published()) {
            ArrayNode conditions = status.putArray("conditions");
            for (DeploymentCondition k : n.conditions()) {
                ObjectNode o = conditions.addObject().put("type", k.type()).put("status", k.status());
                if (k.lastUpdateTime() != null) o.put("lastUpdateTime", k.lastUpdateTime().toString());
                if (k.lastTransitionTime() != null) o.put("lastTransitionTime", k.lastTransitionTime().toString());
                if (k.reason() != null) o.put("reason", k.reason());
                if (k.message() != null) o.put("message", k.message());
            }
        } else {
            status.put("phase", n.ready() >= d.spec.replicas() ? "Available" : "Progressing"); // Berth's summary before statuses
        }
        return item;
    }

    /** An IntOrString as Kubernetes prints it: a number, or a string with its percent sign. */
    private static void intOrPercent(ObjectNode o, String field, String v) {
        if (v == null) return;
        if (v.endsWith("%")) o.put(field, v);
        else o.put(field, Integer.parseInt(v));
    }

    /** Services as kubectl prints them: v1 Service with spec.clusterIP(s), ports (targetPort a number or a name), status. */
    static ObjectNode services(ClusterView view, Selection selection, NamespaceOptions ns) {
        ObjectNode list = list();
        for (ClusterView.ServiceRow s : view.services()) {
            if (!ns.shows(s.namespace()) || !selection.test(s.spec.name(), s.spec.labels())) continue;
            ObjectNode item = Json.object().put("apiVersion", "v1").put("kind", "Service");
            item.set("metadata", metadata(s.spec.name(), s.namespace(), s.created, s.spec.labels()));
            ObjectNode spec = item.putObject("spec").put("type", s.spec.type());
            if (s.spec.clusterIP() != null) {
                spec.put("clusterIP", s.spec.clusterIP());
                spec.putArray("clusterIPs").add(s.spec.clusterIP());
            }
            if (!s.spec.selector().isEmpty()) spec.set("selector", labels(s.spec.selector()));
            var ports = spec.putArray("ports");
            for (ServicePort p : s.spec.ports()) {
                ObjectNode o = ports.addObject();
                if (p.name() != null) o.put("name", p.name());
                o.put("protocol", p.protocol()).put("port", p.port());
                if (p.targetPortName() != null) o.put("targetPort", p.targetPortName());
                else o.put("targetPort", p.targetNumber());
                if (p.nodePort() > 0) o.put("nodePort", p.nodePort());
                if (p.appProtocol() != null) o.put("appProtocol", p.appProtocol());
            }
            item.putObject("status").putObject("loadBalancer");
            if (selection.name() != null) return item;
            list.withArray("items").add(item);
        }
        return list;
    }

    /** v1 Endpoints: one subset with the ready addresses, the not ready ones, and the Service's ports by target. */
    static ObjectNode endpoints(ClusterView view, Selection selection, NamespaceOptions ns) {
        ObjectNode list = list();
        for (ClusterView.ServiceRow s : view.services()) {
            if (!ns.shows(s.namespace()) || !selection.test(s.spec.name(), s.spec.labels())) continue;
            ObjectNode item = Json.object().put("apiVersion", "v1").put("kind", "Endpoints");
            item.set("metadata", metadata(s.spec.name(), s.namespace(), s.created, s.spec.labels()));
            var subsets = item.putArray("subsets");
            List<EndpointAddress> ready = s.addresses(true), notReady = s.addresses(false);
            if (!ready.isEmpty() || !notReady.isEmpty()) {
                ObjectNode subset = subsets.addObject();
                if (!ready.isEmpty()) addresses(subset.putArray("addresses"), ready, s.namespace());
                if (!notReady.isEmpty()) addresses(subset.putArray("notReadyAddresses"), notReady, s.namespace());
                var ports = subset.putArray("ports");
                for (ServicePort p : s.spec.ports()) {
                    ObjectNode o = ports.addObject();
                    if (p.name() != null) o.put("name", p.name());
                    EndpointAddress first = !ready.isEmpty() ? ready.get(0) : notReady.get(0);
                    o.put("port", first.targetPorts().getOrDefault(p.nameOrEmpty(), p.targetNumber())).put("protocol", p.protocol());
                }
            }
            if (selection.name() != null) return item;
            list.withArray("items").add(item);
        }
        return list;
    }

    private static void addresses(ArrayNode out, List<EndpointAddress> addresses, String namespace) {
        for (EndpointAddress a : addresses) {
            ObjectNode o = out.addObject().put("ip", a.ip());
            if (a.node() != null) o.put("nodeName", a.node());
            o.putObject("targetRef").put("kind", "Pod").put("name", a.pod()).put("namespace", namespace);
        }
    }

    static ObjectNode metadata(String name, String namespace, Instant created, Map<String, String> labelMap) {
        ObjectNode meta = Json.object().put("name", name).put("namespace", namespace);
        if (created != null) meta.put("creationTimestamp", created.toString());
        if (!labelMap.isEmpty()) meta.set("labels", labels(labelMap));
        return meta;
    }

    /** Labels sorted by key, as kubectl prints them. */
    static ObjectNode labels(Map<String, String> labels) {
        ObjectNode out = Json.object();
        new TreeMap<>(labels).forEach(out::put);
        return out;
    }

    /** A selector in Kubernetes' shape: matchLabels and matchExpressions, each only when it has entries. */
    static ObjectNode selector(Selector s) {
        ObjectNode out = Json.object();
        if (!s.matchLabels().isEmpty()) out.set("matchLabels", labels(s.matchLabels()));
        if (!s.matchExpressions().isEmpty()) {
            ArrayNode expressions = out.putArray("matchExpressions");
            for (Selector.Requirement r : s.matchExpressions()) {
                ObjectNode x = expressions.addObject().put("key", r.key()).put("operator", r.operator());
                if (!r.values().isEmpty()) r.values().forEach(x.putArray("values")::add);
            }
        }
        return out;

    }

    /** Namespaces as kubectl prints them: v1 Namespace with status.phase Active or Terminating. */
    static ObjectNode namespaces(ClusterView view, String only) {
        ObjectNode list = list();
        for (ClusterView.NamespaceRow n : view.namespaces()) {
            if (only != null && !only.equals(n.name)) continue;
            ObjectNode item = Json.object().put("apiVersion", "v1").put("kind", "Namespace");
            ObjectNode meta = item.putObject("metadata").put("name", n.name);
            if (n.created != null) meta.put("creationTimestamp", n.created.toString());
            meta.putObject("labels").put("kubernetes.io/metadata.name", n.name);
            item.putObject("spec").putArray("finalizers").add("kubernetes");
            item.putObject("status").put("phase", n.status());
            if (only != null) return item;
            list.withArray("items").add(item);
        }
        return list;
    }

    /** containers[].ports as Kubernetes writes them (protocol always, name and hostPort when set). */
    private static void ports(ObjectNode container, PodTemplate t) {
        if (t.ports().isEmpty()) return;
        var ports = container.putArray("ports");
        for (var p : t.ports()) {
            ObjectNode o = ports.addObject().put("containerPort", p.containerPort());
            if (p.hostPort() > 0) o.put("hostPort", p.hostPort());
            if (p.name() != null) o.put("name", p.name());
            o.put("protocol", p.protocol());
        }
    }

    private static ObjectNode resources(NodeResources r) {
        ObjectNode out = Json.object().put("cpu", Quantities.formatCpu(r.cpuMillis())).put("memory", Quantities.formatMemory(r.memoryBytes()))
                .put("pods", Integer.toString(r.pods()));
        new java.util.TreeMap<>(r.extended()).forEach((k, v) -> out.put(k, Long.toString(v)));
        return out;
    }

    static ObjectNode list() {
        ObjectNode list = Json.object().put("apiVersion", "v1").put("kind", "List");
        list.putArray("items");
        list.putObject("metadata").put("resourceVersion", "");
        return list;
    }
}
