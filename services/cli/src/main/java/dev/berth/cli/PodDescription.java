package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodEvent;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.PodUnschedulable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code kubectl describe pod} from the log: a pure function of the pod's events. Shows the spec,
 * where it runs and why the scheduler put it there (or why it could not), its container's state,
 * restarts and last exit, and its recent events in time order.
 */
final class PodDescription {
    static final int RECENT_EVENTS = 20;

    private PodCreated created;
    private Instant createdAt;
    private String node;
    private PodPlaced placement;
    private PodUnschedulable unschedulable;
    private PodStatusChanged status;
    private String imageID;
    private String podIP;
    private Integer lastExitCode;
    private String lastExitReason;
    private String deletion;
    private String lost;
    private final List<Envelope> events = new ArrayList<>();

    private PodDescription() {}

    /** The description of {@code pod}, or null when the log never mentions it. */
    static String describe(String pod, List<Envelope> log, Instant now) {
        PodDescription d = new PodDescription();
        // The log comes in the one order every reading command folds in (HistoryOptions).
        log.stream().filter(e -> pod.equals(podOf(e.data()))).forEach(d::apply);
        return d.events.isEmpty() ? null : d.render(pod, now);
    }

    /** The pod an event is about, or null when it is not about one. */
    static String podOf(Payload p) { return p instanceof PodEvent e ? e.pod() : null; }

    private void apply(Envelope env) {
        events.add(env);
        Payload p = env.data();
        if (p instanceof PodCreated e) {
            created = e;
            createdAt = env.time();
        } else if (p instanceof PodPlaced e) {
            placement = e;
            node = e.node();
        } else if (p instanceof PodUnschedulable e) {
            unschedulable = e;
        } else if (p instanceof PodStatusChanged e) {
            status = e;
            node = e.node();
            if (e.imageID() != null) imageID = e.imageID();
            if (e.podIP() != null) podIP = e.podIP();
            if (e.state() == ContainerState.Exited || e.state() == ContainerState.Failed) {
                if (e.exitCode() != null) {
                    lastExitCode = e.exitCode();
                    lastExitReason = e.reason();
                }
            } else if (e.exitCode() != null && !e.exitCode().equals(lastExitCode)) {
                // A back-off names the exit it follows; its reason (CrashLoopBackOff) is not the exit's.
                lastExitCode = e.exitCode();
                lastExitReason = null;
            }
        } else if (p instanceof PodDeletionRequested e) {
            deletion = e.reason();
        } else if (p instanceof PodReleased e) {
            if (deletion == null && lost == null) deletion = "released from " + e.node() + ": " + e.reason();
        } else if (p instanceof PodLost e) {
            lost = e.reason();
        }
    }

    private String render(String pod, Instant now) {
        Lines out = new Lines();
        out.field("Name", pod);
        out.field("Namespace", created != null ? created.namespace() : placement != null ? placement.namespace() : "default");
        if (created != null) {
            out.field("Deployment", created.deployment() + " (generation " + created.generation() + ")");
            out.field("Labels", Selection.column(created.template().labels()));
        }
        out.field("Node", node == null ? "<none>" : node);
        if (podIP != null) out.field("IP", podIP);
        if (createdAt != null) out.field("Created", createdAt + " (" + GetCommand.age(createdAt, now) + " ago)");
        out.field("Status", statusLine());
        if (lost != null) out.field("Lost", lost);
        else if (deletion != null) out.field("Deleting", deletion);
        if (created != null) container(out, created.template());
        if (created != null) PodConfigManifest.describeVolumes(created.template()).forEach(out::line);
        out.field("Scheduling", scheduling());
        out.line("Events:");
        out.block(eventsTable(now));
        return out.toString();
    }

    private String statusLine() {
        ClusterView.PodRow row = new ClusterView.PodRow();
        row.deleting = deletion != null || lost != null;
        if (status != null) {
            row.state = status.state();
            row.exitCode = status.exitCode();
            row.reason = status.reason();
        }
        if (lost != null) return "Lost";
        if (row.deleting && row.state == ContainerState.Stopped) return "Deleted";
        return row.status();
    }

    /** kubectl's Init Containers: and Containers: sections, each container with its own state, for a pod of several. */
    private void containers(Lines out, PodTemplate t) {
        java.util.Map<String, dev.berth.bus.contract.ContainerStatus> statuses = new java.util.HashMap<>();
        if (status != null) {
            for (var cs : status.initContainerStatuses()) statuses.put(cs.name(), cs);
            for (var cs : status.containerStatuses()) statuses.put(cs.name(), cs);
        }
        if (!t.initContainers().isEmpty()) {
            out.line("Init Containers:");
            for (var c : t.initContainers()) one(out, c, statuses.get(c.name()));
        }
        out.line("Containers:");
        for (var c : t.containers()) one(out, c, statuses.get(c.name()));
        out.field("Restart Policy", t.restartPolicy());
        out.field("Grace Period", t.terminationGracePeriodSeconds() + "s");
    }

    private void one(Lines out, dev.berth.bus.contract.Container c, dev.berth.bus.contract.ContainerStatus cs) {
        out.line("  " + c.name() + ":");
        out.field("    Image", c.image());
        if (cs != null && cs.imageID() != null) out.field("    Image ID", cs.imageID());
        if (!c.command().isEmpty()) out.field("    Command", String.join(" ", c.command()));
        if (!c.args().isEmpty()) out.field("    Args", String.join(" ", c.args()));
        if (!c.env().isEmpty()) {
            out.field("    Environment", new TreeMap<>(c.env()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        String limits = ResourceText.list(c.resources().limits()), requests = ResourceText.list(c.resources().effectiveRequests());
        if (!limits.isEmpty()) out.field("    Limits", limits);
        if (!requests.isEmpty()) out.field("    Requests", requests);
        if (c.readinessProbe() != null) out.field("    Readiness", readiness(c.readinessProbe()));
        PodConfigManifest.describeContainer(c).forEach(line -> out.line("  " + line));
        if (cs == null) {
            out.field("    State", status == null ? "Waiting to be scheduled and started" : "Waiting");
            return;
        }
        String code = cs.exitCode() == null ? "" : ", exit code " + cs.exitCode();
        out.field("    State", cs.state() + (cs.reason() == null ? "" : " (" + cs.reason() + ")") + code);
        out.field("    Ready", cs.ready() && deletion == null && lost == null ? "True" : "False");
        out.field("    Restart Count", Integer.toString(cs.restartCount()));
    }

    private void container(Lines out, PodTemplate t) {
        if (t.containers().size() != 1 || !t.initContainers().isEmpty()) {
            containers(out, t);
            return;
        }
        out.line("Container:");
        out.field("  Image", t.image());
        if (imageID != null) out.field("  Image ID", imageID);
        if (!t.command().isEmpty()) out.field("  Command", String.join(" ", t.command()));
        if (!t.args().isEmpty()) out.field("  Args", String.join(" ", t.args()));
        if (!t.env().isEmpty()) {
            out.field("  Environment", new TreeMap<>(t.env()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        PodConfigManifest.describeContainer(t.main()).forEach(out::line);
        // As kubectl: Limits, then Requests after defaulting (a request left out is the limit); each only when set.
        String limits = ResourceText.list(t.resources().limits()), requests = ResourceText.list(t.resources().effectiveRequests());
        if (!limits.isEmpty()) out.field("  Limits", limits);
        if (!requests.isEmpty()) out.field("  Requests", requests);
        if (t.readinessProbe() != null) out.field("  Readiness", readiness(t.readinessProbe()));
        out.field("  Restart Policy", t.restartPolicy());
        out.field("  Grace Period", t.terminationGracePeriodSeconds() + "s");
        if (status == null) {
            out.field("  State", "Waiting to be scheduled and started");
            return;
        }
        String reason = status.reason() == null ? "" : " (" + status.reason() + ")";
        out.field("  State", status.state() + reason + (status.message() == null || status.message().isBlank() ? "" : ": " + status.message()));
        out.field("  Ready", status.readyForTraffic() && deletion == null && lost == null ? "True" : "False");
        out.field("  Restart Count", Integer.toString(status.restartCount()));
        if (lastExitCode != null) {
            out.field("  Last Exit Code", lastExitCode + (lastExitReason == null ? "" : " (" + lastExitReason + ")"));
        }
    }

    /** kubectl's probe line: {@code http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3}. */
    static String readiness(dev.berth.bus.contract.Probe p) {
        String handler;
        if (p.httpGet() != null) {
            var h = p.httpGet();
            String port = h.portName() != null ? h.portName() : Integer.toString(h.port());
            handler = "http-get " + h.scheme().toLowerCase(java.util.Locale.ROOT) + "://" + (h.host() == null ? "" : h.host()) + ":" + port + h.path();
        } else if (p.tcpSocket() != null) {
            var t = p.tcpSocket();
            handler = "tcp-socket " + (t.host() == null ? "" : t.host()) + ":" + (t.portName() != null ? t.portName() : Integer.toString(t.port()));
        } else {
            handler = "exec " + p.exec().command();
        }
        return handler + " delay=" + p.initialDelaySeconds() + "s timeout=" + p.timeoutSeconds() + "s period=" + p.periodSeconds()
                + "s #success=" + p.successThreshold() + " #failure=" + p.failureThreshold();
    }

    private String scheduling() {
        if (placement != null) {
            String filtered = placement.filtered().isEmpty() ? "" : "; filtered out: " + counts(placement.filtered());
            String best = placement.topCandidates().stream().map(c -> c.node() + " " + score(c.total()) + scores(c.scores()))
                    .collect(Collectors.joining(", "));
            String of = placement.sampled() ? placement.nodesConsidered() + " sampled of " + placement.nodesKnown()
                    : String.valueOf(placement.nodesConsidered());
            return "placed on " + placement.node() + ", best of " + of + " node(s)" + filtered
                    + (best.isEmpty() ? "" : "; scores: " + best);
        }
        if (unschedulable != null) return "unschedulable: " + unschedulable.message();
        return "not scheduled yet";
    }

    private static String counts(Map<String, Integer> filtered) {
        return new TreeMap<>(filtered).entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String scores(Map<String, Double> perPlugin) {
        if (perPlugin.isEmpty()) return "";
        return new TreeMap<>(perPlugin).entrySet().stream().map(e -> e.getKey() + " " + score(e.getValue()))
                .collect(Collectors.joining(", ", " (", ")"));
    }

    private static String score(double v) { return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v); }

    private String eventsTable(Instant now) {
        Table t = new Table("AGE", "TYPE", "REASON", "FROM", "MESSAGE");
        int skip = Math.max(0, events.size() - RECENT_EVENTS);
        for (Envelope env : events.subList(skip, events.size())) {
            String[] row = describeEvent(env.data());
            t.row(GetCommand.age(env.time(), now), row[0], row[1], env.source(), row[2]);
        }
        String table = t.render();
        return skip == 0 ? table : "(" + skip + " earlier events not shown)\n" + table;
    }

    /** Type, reason and message of one event, as kubectl shows events. */
    static String[] describeEvent(Payload p) {
        if (p instanceof PodCreated e) {
            return new String[] {"Normal", "Created", "created for deployment " + e.deployment() + " generation " + e.generation()};
        }
        if (p instanceof PodUnschedulable e) return new String[] {"Warning", "FailedScheduling", e.message()};
        if (p instanceof PodPlaced e) {
            return new String[] {"Normal", "Scheduled", "placed on " + e.node() + " (" + EventText.considered(e) + ")"};
        }
        if (p instanceof PodDeletionRequested e) return new String[] {"Normal", "Deleting", e.reason()};
        if (p instanceof PodLost e) return new String[] {"Warning", "NodeLost", e.reason()};
        if (p instanceof PodReleased e) return new String[] {"Normal", "Released", "released from " + e.node() + ": " + e.reason()};
        PodStatusChanged s = (PodStatusChanged) p;
        boolean bad = s.state() == ContainerState.Failed || s.state() == ContainerState.Waiting
                || (s.state() == ContainerState.Exited && s.exitCode() != null && s.exitCode() != 0);
        String exit = s.exitCode() == null ? "" : ", exit code " + s.exitCode();
        String message = s.message() == null || s.message().isBlank() ? "" : ": " + s.message();
        return new String[] {bad ? "Warning" : "Normal", s.reason() != null ? s.reason() : s.state().name(),
                s.state() + exit + message};
    }

    /** "Field:   value" lines with values aligned, like kubectl describe. */
    private static final class Lines {
        private static final int WIDTH = 18;
        private final StringBuilder sb = new StringBuilder();

        void field(String name, String value) {
            String label = name + ":";
            sb.append(label).append(" ".repeat(Math.max(1, WIDTH - label.length()))).append(value).append('\n');
        }

        void line(String text) { sb.append(text).append('\n'); }

        void block(String text) { text.lines().forEach(l -> sb.append("  ").append(l).append('\n')); }

        @Override public String toString() { return sb.toString(); }
    }
}
