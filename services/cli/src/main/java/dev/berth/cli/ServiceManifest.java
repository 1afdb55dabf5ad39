package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.Limits;
import dev.berth.bus.contract.ContainerPort;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import dev.berth.cli.DeploymentManifest.InvalidManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Kubernetes {@code v1 Service} into a Berth Service. ClusterIP and NodePort are what Berth runs;
 * LoadBalancer is taken as NodePort (there is no load balancer to provision), ExternalName is refused.
 * Ranges, names and duplicates are the controller's to judge, as the API server's validation would.
 */
final class ServiceManifest {
    private ServiceManifest() {}

    /** The Service, the fields Berth ignored (and how it read them), and metadata.namespace (null: none). */
    record Parsed(ServiceSpec service, List<String> ignored, String namespace) {
        ServiceSpec in(String flag) throws InvalidManifest {
            ServiceSpec s = service;
            return new ServiceSpec(DeploymentManifest.namespaceFor(namespace, flag), s.name(), s.type(), s.clusterIP(), s.selector(),
                    s.ports(), s.labels());
        }
    }

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA = Set.of("name", "labels", "namespace");
    private static final Set<String> SPEC = Set.of("type", "clusterIP", "selector", "ports");
    private static final Set<String> PORT = Set.of("name", "protocol", "port", "targetPort", "nodePort", "appProtocol");

    static Parsed parse(JsonNode root) throws InvalidManifest {
        if (root == null || !root.isObject()) throw new InvalidManifest("expected a Service object");
        if (!"Service".equals(root.path("kind").asText())) throw new InvalidManifest("expected kind Service");
        if (!"v1".equals(root.path("apiVersion").asText())) {
            throw new InvalidManifest("apiVersion is '" + root.path("apiVersion").asText() + "': expected v1");
        }
        List<String> ignored = new ArrayList<>();
        DeploymentManifest.unsupported(root, "", TOP, ignored);
        DeploymentManifest.unsupported(root.path("metadata"), "metadata", METADATA, ignored);
        JsonNode spec = root.path("spec");
        if (!spec.isMissingNode() && !spec.isNull() && !spec.isObject()) throw new InvalidManifest("spec: expected an object");
        DeploymentManifest.unsupported(spec, "spec", SPEC, ignored);
        JsonNode nameNode = root.path("metadata").path("name");
        if (!nameNode.isTextual() || nameNode.asText().isBlank()) throw new InvalidManifest("metadata.name is required");
        String type = type(spec.path("type"), ignored);
        String clusterIP = null;
        JsonNode ip = spec.path("clusterIP");
        if (!ip.isMissingNode() && !ip.isNull()) {
            if (!ip.isTextual()) throw new InvalidManifest("spec.clusterIP: expected an IPv4 address, \"None\" (headless) or \"\"");
            clusterIP = ip.asText();
        }
        Map<String, String> selector = DeploymentManifest.labels(spec.path("selector"), "spec.selector");
        List<ServicePort> ports = ports(spec.path("ports"), type, ignored);
        return new Parsed(new ServiceSpec(null, nameNode.asText(), type, clusterIP, selector, ports,
                DeploymentManifest.labels(root.path("metadata").path("labels"), "metadata.labels")),
                ignored, DeploymentManifest.namespaceOf(root));
    }

    private static String type(JsonNode n, List<String> ignored) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return ServiceSpec.CLUSTER_IP;
        String type = n.asText();
        return switch (type) {
            case ServiceSpec.CLUSTER_IP, ServiceSpec.NODE_PORT -> type;
            case "LoadBalancer" -> {
                ignored.add("spec.type: LoadBalancer is applied as NodePort: Berth has no load balancer to provision (EXTERNAL-IP stays <none>)");
                yield ServiceSpec.NODE_PORT;
            }
            case "ExternalName" -> throw new InvalidManifest("spec.type: ExternalName is not supported by Berth (it has no cluster DNS to"
                    + " answer a CNAME); use a ClusterIP Service with a selector");
            default -> throw new InvalidManifest("spec.type: Unsupported value: \"" + type + "\": supported values: \"ClusterIP\", \"NodePort\", \"LoadBalancer\"");
        };
    }

    private static List<ServicePort> ports(JsonNode n, String type, List<String> ignored) throws InvalidManifest {
        String at = "spec.ports";
        if (n.isMissingNode() || n.isNull() || (n.isArray() && n.isEmpty())) throw new InvalidManifest(at + ": Required value (at least one port)");
        if (!n.isArray()) throw new InvalidManifest(at + ": expected a list, e.g. [{port: 80, targetPort: 8080}]");
        if (n.size() > Limits.SERVICE_PORTS_MAX_ITEMS) throw new InvalidManifest(at + ": at most " + Limits.SERVICE_PORTS_MAX_ITEMS + " ports");
        List<ServicePort> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode p = n.get(i);
            String path = at + "[" + i + "]";
            if (!p.isObject()) throw new InvalidManifest(path + ": expected {name, protocol, port, targetPort, nodePort}");
            DeploymentManifest.unsupported(p, path, PORT, ignored);
            int port = number(p.path("port"), path + ".port", true);
            int nodePort = number(p.path("nodePort"), path + ".nodePort", false);
            if (nodePort != 0 && !type.equals(ServiceSpec.NODE_PORT)) {
                throw new InvalidManifest(path + ".nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
            }
            String protocol = p.hasNonNull("protocol") ? p.get("protocol").asText() : ContainerPort.TCP;
            if (!ContainerPort.PROTOCOLS.contains(protocol)) throw new InvalidManifest(path + ".protocol: '" + protocol + "' is not supported (TCP or UDP)");
            // Kubernetes' IntOrString: a number is the pod's port, a string names a container port ("8080" is a number too).
            JsonNode target = p.path("targetPort");
            int targetPort = 0;
            String targetName = null;
            if (target.isIntegralNumber()) {
                targetPort = number(target, path + ".targetPort", true);
            } else if (target.isTextual() && target.asText().matches("[0-9]{1,5}")) {
                targetPort = number(target, path + ".targetPort", true);
            } else if (target.isTextual() && !target.asText().isBlank()) {
                targetName = target.asText();
            } else if (!target.isMissingNode() && !target.isNull()) {
                throw new InvalidManifest(path + ".targetPort: expected a port number or the name of a container port");
            }
            out.add(new ServicePort(text(p, "name"), protocol, port, targetPort, targetName, nodePort, text(p, "appProtocol")));
        }
        return out;
    }

    /** A port number 1-65535 ({@code required}), or 0 when absent. */
    private static int number(JsonNode n, String at, boolean required) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) {
            if (required) throw new InvalidManifest(at + ": Required value");
            return 0;
        }
        int value;
        if (n.isIntegralNumber() && n.canConvertToInt()) value = n.asInt();
        else if (n.isTextual() && n.asText().matches("[0-9]{1,5}")) value = Integer.parseInt(n.asText());
        else throw new InvalidManifest(at + ": expected a port number (1-65535), not " + n);
        if (value < 1 || value > 65535) throw new InvalidManifest(at + ": Invalid value: " + value + ": must be between 1 and 65535, inclusive");
        return value;
    }

    private static String text(JsonNode p, String field) { return p.hasNonNull(field) ? p.get(field).asText() : null; }
}
