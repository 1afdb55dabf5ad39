package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.contract.Probe;
import dev.berth.bus.contract.SecurityContext;
import dev.berth.cli.DeploymentManifest.InvalidManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A container's readinessProbe, livenessProbe, startupProbe (one shape) and securityContext as a Deployment manifest gives them, Kubernetes' field names. */
final class ContainerProbes {
    private ContainerProbes() {}

    private static final Set<String> PROBE = Set.of("httpGet", "tcpSocket", "exec", "initialDelaySeconds", "periodSeconds",
            "timeoutSeconds", "successThreshold", "failureThreshold");
    private static final Set<String> HTTP_GET = Set.of("path", "port", "host", "scheme");
    private static final Set<String> TCP_SOCKET = Set.of("port", "host");
    private static final Set<String> EXEC = Set.of("command");
    private static final Set<String> SECURITY = Set.of("runAsUser", "runAsGroup", "runAsNonRoot", "capabilities", "privileged",
            "allowPrivilegeEscalation", "readOnlyRootFilesystem", "seccompProfile");
    private static final Set<String> CAPABILITIES = Set.of("add", "drop");
    private static final Set<String> POD_SECURITY = Set.of("runAsUser", "runAsGroup", "runAsNonRoot", "seccompProfile");

    /** A probe (readiness, liveness, startup): exactly one handler (httpGet, tcpSocket, exec), the timings; null when absent. */
    static Probe probe(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isObject()) throw new InvalidManifest(at + ": expected {httpGet | tcpSocket | exec, periodSeconds, ...}");
        DeploymentManifest.unsupported(n, at, PROBE, ignored);
        int handlers = (n.has("httpGet") ? 1 : 0) + (n.has("tcpSocket") ? 1 : 0) + (n.has("exec") ? 1 : 0);
        if (handlers != 1) throw new InvalidManifest(at + ": must specify exactly one of httpGet, tcpSocket or exec");
        Probe.HttpGet http = null;
        Probe.TcpSocket tcp = null;
        Probe.Exec exec = null;
        if (n.has("httpGet")) {
            JsonNode h = handler(n.get("httpGet"), at + ".httpGet", HTTP_GET, ignored);
            Port port = port(h.path("port"), at + ".httpGet.port");
            String scheme = h.path("scheme").asText("HTTP");
            if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) throw new InvalidManifest(at + ".httpGet.scheme: '" + scheme + "' is not HTTP or HTTPS");
            String path = h.path("path").asText("/");
            if (!path.startsWith("/")) throw new InvalidManifest(at + ".httpGet.path: must start with /");
            http = new Probe.HttpGet(path, port.number, port.name, h.path("host").asText(null), scheme);
        } else if (n.has("tcpSocket")) {
            JsonNode t = handler(n.get("tcpSocket"), at + ".tcpSocket", TCP_SOCKET, ignored);
            Port port = port(t.path("port"), at + ".tcpSocket.port");
            tcp = new Probe.TcpSocket(port.number, port.name, t.path("host").asText(null));
        } else {
            JsonNode e = handler(n.get("exec"), at + ".exec", EXEC, ignored);
            JsonNode command = e.path("command");
            if (!command.isArray() || command.isEmpty()) throw new InvalidManifest(at + ".exec.command: Required value, e.g. [cat, /tmp/ready]");
            List<String> words = new ArrayList<>();
            for (JsonNode w : command) {
                if (!w.isValueNode() || w.isNull()) throw new InvalidManifest(at + ".exec.command: expected a list of strings");
                words.add(w.asText());
            }
            exec = new Probe.Exec(words);
        }
        return new Probe(http, tcp, exec, seconds(n, "initialDelaySeconds", at), seconds(n, "periodSeconds", at),
                seconds(n, "timeoutSeconds", at), seconds(n, "successThreshold", at), seconds(n, "failureThreshold", at));
    }

    /** A livenessProbe or startupProbe: a probe whose successThreshold Kubernetes requires to be 1. */
    static Probe healthProbe(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        Probe p = probe(n, at, ignored);
        if (p != null && p.successThreshold() != 1) {
            throw new InvalidManifest(at + ".successThreshold: Invalid value: " + p.successThreshold() + ": must be 1");
        }
        return p;
    }

    /**
     * The container's {@code securityContext}, each of runAsUser, runAsGroup and runAsNonRoot falling back to the
     * pod's {@code spec.securityContext} (the container's wins), as Kubernetes; capabilities, privileged,
     * allowPrivilegeEscalation and readOnlyRootFilesystem are the container's only. {@code seccompProfile} of type
     * RuntimeDefault is what every Berth container gets anyway; another type is reported as ignored. Null when nothing
     * is set.
     */
    static SecurityContext securityContext(JsonNode container, JsonNode pod, String at, List<String> ignored) throws InvalidManifest {
        String podAt = "spec.template.spec.securityContext";
        if (!pod.isMissingNode() && !pod.isNull()) {
            if (!pod.isObject()) throw new InvalidManifest(podAt + ": expected {runAsUser, runAsGroup, runAsNonRoot}");
            DeploymentManifest.unsupported(pod, podAt, POD_SECURITY, ignored);
            seccompProfile(pod.path("seccompProfile"), podAt + ".seccompProfile", ignored);
        }
        String cAt = at + ".securityContext";
        if (!container.isMissingNode() && !container.isNull()) {
            if (!container.isObject()) throw new InvalidManifest(cAt + ": expected {runAsUser, runAsGroup, runAsNonRoot, capabilities, ...}");
            DeploymentManifest.unsupported(container, cAt, SECURITY, ignored);
            seccompProfile(container.path("seccompProfile"), cAt + ".seccompProfile", ignored);
        }
        Long user = id(container.path("runAsUser"), cAt + ".runAsUser");
        if (user == null) user = id(pod.path("runAsUser"), podAt + ".runAsUser");
        Long group = id(container.path("runAsGroup"), cAt + ".runAsGroup");
        if (group == null) group = id(pod.path("runAsGroup"), podAt + ".runAsGroup");
        Boolean nonRoot = flag(container.path("runAsNonRoot"), cAt + ".runAsNonRoot");
        if (nonRoot == null) nonRoot = flag(pod.path("runAsNonRoot"), podAt + ".runAsNonRoot");
        SecurityContext.Capabilities caps = capabilities(container.path("capabilities"), cAt + ".capabilities", ignored);
        Boolean privileged = flag(container.path("privileged"), cAt + ".privileged");
        Boolean escalation = flag(container.path("allowPrivilegeEscalation"), cAt + ".allowPrivilegeEscalation");
        Boolean readOnly = flag(container.path("readOnlyRootFilesystem"), cAt + ".readOnlyRootFilesystem");
        if (user == null && group == null && nonRoot == null && caps == null && privileged == null && escalation == null && readOnly == null) {
            return null;
        }
        return new SecurityContext(user, group, nonRoot, caps, privileged, escalation, readOnly);
    }

    /** add and drop, Kubernetes' names; {@code CAP_net_admin} is taken as {@code NET_ADMIN}, as containerd does. */
    private static SecurityContext.Capabilities capabilities(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isObject()) throw new InvalidManifest(at + ": expected {add: [...], drop: [...]}");
        DeploymentManifest.unsupported(n, at, CAPABILITIES, ignored);
        return new SecurityContext.Capabilities(names(n.path("add"), at + ".add"), names(n.path("drop"), at + ".drop"));
    }

    private static List<String> names(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return List.of();
        if (!n.isArray()) throw new InvalidManifest(at + ": expected a list of capability names, e.g. [NET_ADMIN]");
        List<String> out = new ArrayList<>();
        for (JsonNode c : n) {
            if (!c.isTextual()) throw new InvalidManifest(at + ": expected a list of capability names, e.g. [NET_ADMIN]");
            String name = c.asText().toUpperCase(java.util.Locale.ROOT);
            out.add(name.startsWith("CAP_") ? name.substring(4) : name);
        }
        return out;
    }

    private static void seccompProfile(JsonNode n, String at, List<String> ignored) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return;
        if (!n.isObject()) throw new InvalidManifest(at + ": expected {type: RuntimeDefault}");
        String type = n.path("type").asText("");
        if (!type.equals("RuntimeDefault")) {
            ignored.add(at + ": type " + (type.isEmpty() ? "(none)" : type) + " not supported by Berth, ignored: every container runs with the default profile (RuntimeDefault)");
        }
    }

    private record Port(int number, String name) {}

    private static JsonNode handler(JsonNode h, String at, Set<String> known, List<String> ignored) throws InvalidManifest {
        if (!h.isObject()) throw new InvalidManifest(at + ": expected an object");
        DeploymentManifest.unsupported(h, at, known, ignored);
        return h;
    }

    /** Kubernetes' IntOrString: a number 1-65535, or the name of one of the container's ports. */
    private static Port port(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) throw new InvalidManifest(at + ": Required value");
        String text = n.asText();
        if (n.isIntegralNumber() || (n.isTextual() && text.matches("[0-9]{1,5}"))) {
            int p = n.isIntegralNumber() && n.canConvertToInt() ? n.asInt() : text.matches("[0-9]{1,5}") ? Integer.parseInt(text) : -1;
            if (p < 1 || p > 65535) throw new InvalidManifest(at + ": Invalid value: " + text + ": must be between 1 and 65535, inclusive");
            return new Port(p, null);
        }
        if (!n.isTextual() || text.isBlank()) throw new InvalidManifest(at + ": expected a port number or a container port's name");
        return new Port(0, text);
    }

    private static int seconds(JsonNode probe, String field, String at) throws InvalidManifest {
        JsonNode n = probe.path(field);
        if (n.isMissingNode() || n.isNull()) return 0;
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) throw new InvalidManifest(at + "." + field + ": expected a whole number >= 0");
        return n.asInt();
    }

    private static Long id(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0 || n.asLong() > 2147483647L) {
            throw new InvalidManifest(at + ": expected a uid/gid from 0 to 2147483647");
        }
        return n.asLong();
    }

    private static Boolean flag(JsonNode n, String at) throws InvalidManifest {
        if (n.isMissingNode() || n.isNull()) return null;
        if (!n.isBoolean()) throw new InvalidManifest(at + ": expected true or false");
        return n.asBoolean();
    }
}
