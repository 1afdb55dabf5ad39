package dev.berth.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.Json;
import dev.berth.bus.contract.JobCondition;
import dev.berth.bus.contract.JobSpec;
import dev.berth.bus.contract.JobStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code get jobs}, {@code describe job/NAME} and {@code -o json|yaml} of batch/v1 Jobs as kubectl prints them. */
final class JobTables {
    private JobTables() {}

    static final java.util.Set<String> KINDS = java.util.Set.of("job", "jobs", "job.batch", "jobs.batch");

    /** The name when {@code ref} is {@code job/NAME} (jobs, job.batch too), else null. */
    static String nameIn(String ref) { return ConfigTables.nameIn(ref, KINDS); }

    /** kubectl's selector of a Job's pods (Kubernetes generates it from the uid). */
    static String selector(ClusterView.JobRow j) { return JobSpec.BATCH_CONTROLLER_UID_LABEL + "=" + j.uid; }

    /** NAME STATUS COMPLETIONS DURATION AGE (kubectl 1.28+); wide adds CONTAINERS IMAGES SELECTOR. */
    static String table(ClusterView view, Instant now, boolean wide, Selection selection, boolean showLabels, NamespaceOptions ns) {
        Table t = new Table(GetCommand.columns(ns, showLabels, wide
                ? new String[] {"NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"}
                : new String[] {"NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"}));
        for (ClusterView.JobRow j : pick(view, selection, ns)) {
            JobStatusChanged s = j.status;
            String completions = (s == null ? 0 : s.succeeded()) + "/" + j.spec.completions();
            String duration = duration(s, now);
            String age = GetCommand.age(j.created, now);
            if (wide) {
                t.row(GetCommand.cells(ns, j.namespace(), showLabels, j.spec.labels(), j.spec.name(), j.phase(), completions, duration, age,
                        j.spec.name(), j.spec.template().image(), selector(j)));
            } else {
                t.row(GetCommand.cells(ns, j.namespace(), showLabels, j.spec.labels(), j.spec.name(), j.phase(), completions, duration, age));
            }
        }
        return t.render();
    }

    /** From startTime to completionTime, or to now while it runs; empty before it started, as kubectl. */
    static String duration(JobStatusChanged s, Instant now) {
        if (s == null || s.startTime() == null) return "";
        Instant end = s.completionTime() != null ? s.completionTime() : now;
        return humanDuration(Duration.between(s.startTime(), end));
    }

    /** Kubernetes' duration.HumanDuration: 45s, 2m5s, 15m, 3h20m, 30h, 5d6h, 400d. */
    static String humanDuration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 0) return "0s";
        if (seconds < 120) return seconds + "s";
        long minutes = d.toMinutes();
        if (minutes < 10) return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        if (minutes < 180) return minutes + "m";
        long hours = d.toHours();
        if (hours < 8) return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        if (hours < 48) return hours + "h";
        if (hours < 24 * 8) return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d" + hours % 24 + "h";
        return hours / 24 + "d";
    }

    static ObjectNode objects(ClusterView view, Selection selection, NamespaceOptions ns) {
        ObjectNode list = KubeObjects.list();
        for (ClusterView.JobRow j : pick(view, selection, ns)) {
            ObjectNode item = object(j);
            if (selection.name() != null) return item;
            list.withArray("items").add(item);
        }
        return list;
    }

    /** A batch/v1 Job: spec with Kubernetes' defaults, status with its counts, times and conditions. */
    static ObjectNode object(ClusterView.JobRow j) {
        JobSpec s = j.spec;
        ObjectNode item = Json.object().put("apiVersion", "batch/v1").put("kind", "Job");
        ObjectNode meta = KubeObjects.metadata(s.name(), s.namespace(), j.created, s.labels());
        if (j.uid != null) meta.put("uid", j.uid);
        if (!s.annotations().isEmpty()) meta.set("annotations", KubeObjects.labels(s.annotations()));
        item.set("metadata", meta);
        ObjectNode spec = item.putObject("spec").put("completions", s.completions()).put("parallelism", s.parallelism())
                .put("backoffLimit", s.backoffLimit()).put("completionMode", "NonIndexed");
        if (s.activeDeadlineSeconds() != null) spec.put("activeDeadlineSeconds", s.activeDeadlineSeconds());
        if (s.ttlSecondsAfterFinished() != null) spec.put("ttlSecondsAfterFinished", s.ttlSecondsAfterFinished());
        spec.putObject("selector").putObject("matchLabels").put(JobSpec.BATCH_CONTROLLER_UID_LABEL, j.uid);
        PodTemplate t = s.template();
        ObjectNode template = spec.putObject("template");
        if (!t.labels().isEmpty()) template.putObject("metadata").set("labels", KubeObjects.labels(t.labels()));
        ObjectNode podSpec = template.putObject("spec").put("restartPolicy", t.restartPolicy());
        ObjectNode c = podSpec.putArray("containers").addObject().put("name", s.name()).put("image", t.image());
        if (!t.command().isEmpty()) t.command().forEach(c.putArray("command")::add);
        if (!t.args().isEmpty()) t.args().forEach(c.putArray("args")::add);
        ResourceText.put(c, t.resources());
        ObjectNode status = item.putObject("status");
        JobStatusChanged st = j.status;
        if (st == null) return item;
        if (st.startTime() != null) status.put("startTime", st.startTime().toString());
        if (st.completionTime() != null) status.put("completionTime", st.completionTime().toString());
        if (st.active() > 0) status.put("active", st.active());
        if (st.succeeded() > 0) status.put("succeeded", st.succeeded());
        if (st.failed() > 0) status.put("failed", st.failed());
        if (!st.conditions().isEmpty()) {
            ArrayNode conditions = status.putArray("conditions");
            for (JobCondition k : st.conditions()) {
                ObjectNode o = conditions.addObject().put("type", k.type()).put("status", k.status());
                if (k.lastTransitionTime() != null) o.put("lastProbeTime", k.lastTransitionTime().toString()).put("lastTransitionTime", k.lastTransitionTime().toString());
                if (k.reason() != null) o.put("reason", k.reason());
                if (k.message() != null) o.put("message", k.message());
            }
        }
        return item;
    }

    /** kubectl's describe job: spec, times, pod counts, the template, the conditions; null when there is no such Job. */
    static String describe(ClusterView view, String namespace, String name, Instant now) {
        ClusterView.JobRow j = view.job(namespace, name);
        if (j == null) return null;
        JobSpec s = j.spec;
        JobStatusChanged st = j.status;
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Name:", s.name()});
        fields.add(new String[] {"Namespace:", s.namespace()});
        fields.add(new String[] {"Selector:", selector(j)});
        fields.add(new String[] {"Labels:", Selection.column(s.labels())});
        fields.add(new String[] {"Annotations:", annotations(s.annotations())});
        fields.add(new String[] {"Parallelism:", Integer.toString(s.parallelism())});
        fields.add(new String[] {"Completions:", Integer.toString(s.completions())});
        fields.add(new String[] {"Completion Mode:", "NonIndexed"});
        if (s.activeDeadlineSeconds() != null) fields.add(new String[] {"Active Deadline Seconds:", s.activeDeadlineSeconds() + "s"});
        if (s.ttlSecondsAfterFinished() != null) fields.add(new String[] {"TTL Seconds After Finished:", Integer.toString(s.ttlSecondsAfterFinished())});
        fields.add(new String[] {"Backoff Limit:", Integer.toString(s.backoffLimit())});
        if (st != null && st.startTime() != null) fields.add(new String[] {"Start Time:", st.startTime().toString()});
        if (st != null && st.completionTime() != null) {
            fields.add(new String[] {"Completed At:", st.completionTime().toString()});
            fields.add(new String[] {"Duration:", duration(st, now)});
        }
        long ready = view.podsOfJob(s.namespace(), s.name()).stream().filter(ClusterView.PodRow::isReady).count();
        fields.add(new String[] {"Pods Statuses:", (st == null ? 0 : st.active()) + " Active (" + ready + " Ready) / "
                + (st == null ? 0 : st.succeeded()) + " Succeeded / " + (st == null ? 0 : st.failed()) + " Failed"});
        int width = fields.stream().mapToInt(f -> f[0].length()).max().orElse(0) + 2;
        StringBuilder out = new StringBuilder();
        for (String[] f : fields) out.append(f[0]).append(" ".repeat(width - f[0].length())).append(f[1].replace("\n", "\n" + " ".repeat(width))).append('\n');
        out.append("Pod Template:\n").append(DeploymentDescription.podTemplate(s.name(), s.template()));
        out.append("  Restart Policy:  ").append(s.template().restartPolicy()).append('\n');
        if (st == null || st.conditions().isEmpty()) {
            out.append("Conditions:").append(" ".repeat(Math.max(1, width - "Conditions:".length()))).append("<none>\n");
        } else {
            out.append("Conditions:\n");
            Table t = new Table("Type", "Status", "Reason", "Message");
            t.row("----", "------", "------", "-------");
            for (JobCondition k : st.conditions()) t.row(k.type(), k.status(), k.reason() == null ? "<none>" : k.reason(), k.message() == null ? "" : k.message());
            for (String line : t.render().split("\n")) if (!line.isEmpty()) out.append("  ").append(line).append('\n');
        }
        out.append("Events:").append(" ".repeat(Math.max(1, width - "Events:".length()))).append("<none>\n");
        return out.toString();
    }

    private static String annotations(Map<String, String> a) {
        if (a.isEmpty()) return "<none>";
        return String.join("\n", new TreeMap<>(a).entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    private static List<ClusterView.JobRow> pick(ClusterView view, Selection selection, NamespaceOptions ns) {
        return view.jobs().stream().filter(j -> ns.shows(j.namespace()) && selection.test(j.spec.name(), j.spec.labels())).toList();
    }
}
