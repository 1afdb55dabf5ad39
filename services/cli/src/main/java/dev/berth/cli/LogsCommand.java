package dev.berth.cli;

import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ContainerLogs;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.LogLine;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth logs}: kubectl logs, from the node agents' batches on berth.logs (only the pod's partition is
 * read). The current run of the pod's container is the restart count the cluster view knows (its last status);
 * {@code --previous} the one before. Lines the node dropped over the pod's log rate show as one line, in place:
 * {@value #DROPPED_FORMAT_DOC}. Rendering is pure ({@link #render}, {@link Follow}); the command only reads.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Print the logs of a pod's container (or of one pod of a deployment), as kubectl logs.")
public final class LogsCommand implements Callable<Integer> {
    static final String DROPPED_FORMAT_DOC = "[berth] N lines dropped: the pod exceeded its log rate";

    @Mixin ClusterOptions cluster;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", paramLabel = "POD | deployment/NAME")
    String target;

    @Option(names = {"-c", "--container"}, paramLabel = "CONTAINER", description = "the container (default: the pod's kubectl.kubernetes.io/default-container, else its first)")
    String container;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines until Ctrl-C or the container's run ends")
    boolean follow;

    @Option(names = {"-p", "--previous"}, description = "the run before the current one (before the last restart)")
    boolean previous;

    @Option(names = "--tail", paramLabel = "N", defaultValue = "-1", description = "only the last N lines (default: all)")
    int tail;

    @Option(names = "--since", paramLabel = "DURATION", description = "only lines newer than this (e.g. 10s, 5m, 1h30m)")
    String since;

    @Option(names = "--timestamps", description = "prefix each line with its time (RFC 3339, nanoseconds)")
    boolean timestamps;

    /** Which pod, container and run to show, or why not. */
    record Choice(String pod, String namespace, String container, int restartCount, String error, String note) {
        static Choice error(String error) { return new Choice(null, null, null, -1, error, null); }
    }

    /** How lines are picked and shown. */
    record Shape(Instant since, int tail, boolean timestamps) {
        static final Shape ALL = new Shape(null, -1, false);
    }

    @Override
    public Integer call() {
        Instant now = Instant.now();
        Instant cutoff;
        try {
            cutoff = since == null ? null : now.minus(duration(since));
        } catch (IllegalArgumentException e) {
            System.err.println("error: invalid argument \"" + since + "\" for \"--since\" flag: " + e.getMessage());
            return 1;
        }
        ClusterView view = GetCommand.load(cluster.bus(), now);
        Choice choice = choose(view, namespaces.namespace(), target, container, previous);
        if (choice.error() != null) {
            System.err.println(choice.error());
            return 1;
        }
        if (choice.note() != null) System.err.println(choice.note());
        Shape shape = new Shape(cutoff, tail, timestamps);
        List<Envelope> history = new ArrayList<>();
        PrintStream out = System.out;
        Follow live = new Follow(choice, shape.timestamps());
        new PodLogReader(cluster.bus()).read(choice.pod(), cutoff, follow && !previous, history::add, () -> {
            render(history, choice, shape).forEach(out::println); // a run that wrote nothing prints nothing
            out.flush();
        }, e -> {
            live.accept(e).forEach(out::println);
            out.flush();
            return !live.ended();
        });
        return 0;
    }

    /**
     * The pod (or, for deployment/NAME, the one most likely to have logs, kubectl's rule: bound to a node, running,
     * ready, running longest, restarted most, oldest), its container and the run to show.
     */
    static Choice choose(ClusterView view, String namespace, String target, String container, boolean previous) {
        ClusterView.PodRow pod;
        String note = null;
        String deployment = deploymentName(target);
        if (deployment != null) {
            List<ClusterView.PodRow> pods = view.pods().stream()
                    .filter(p -> deployment.equals(p.deployment) && p.namespace.equals(namespace)).sorted(BY_LOGGING).toList();
            boolean exists = view.deployments().stream().anyMatch(d -> d.spec.name().equals(deployment) && d.spec.namespace().equals(namespace));
            if (!exists) return Choice.error("Error from server (NotFound): deployments.apps \"" + deployment + "\" not found");
            if (pods.isEmpty()) return Choice.error("error: no pods found for deployment/" + deployment);
            pod = pods.get(0);
            if (pods.size() > 1) note = "Found " + pods.size() + " pods, using pod/" + pod.name;
        } else {
            String name = target.startsWith("pod/") ? target.substring(4) : target.startsWith("pods/") ? target.substring(5) : target;
            pod = view.pods().stream().filter(p -> p.name.equals(name) && p.namespace.equals(namespace)).findFirst().orElse(null);
            if (pod == null) return Choice.error("Error from server (NotFound): pods \"" + name + "\" not found");
        }
        List<String> names = containerNames(pod);
        String name = container;
        if (name == null) {
            name = defaultContainer(pod, names);
            if (names.size() > 1) {
                // kubectl's note when a pod of several containers is given no -c
                String defaulted = "Defaulted container \"" + name + "\" out of: " + String.join(", ", names);
                note = note == null ? defaulted : note + "\n" + defaulted;
            }
        }
        if (!names.contains(name) && !names.contains(name + " (init)")) {
            return Choice.error("error: container " + container + " is not valid for pod " + pod.name);
        }
        int current = restartsOf(pod, name);
        if (previous) {
            if (current == 0) return Choice.error(previousNotFound(new Choice(pod.name, pod.namespace, name, -1, null, null)));
            return new Choice(pod.name, pod.namespace, name, current - 1, null, note);
        }
        return new Choice(pod.name, pod.namespace, name, current, null, note);
    }

    /** The pod's containers as kubectl lists them: app containers, then init containers marked "(init)". */
    static List<String> containerNames(ClusterView.PodRow pod) {
        if (pod.template == null || (pod.template.containers().size() == 1 && pod.template.initContainers().isEmpty())) {
            return List.of(containerName(pod));
        }
        List<String> names = new ArrayList<>(pod.template.containerNames());
        for (var c : pod.template.initContainers()) names.add(c.name() + " (init)");
        return names;
    }

    /** kubectl's default: the kubectl.kubernetes.io/default-container annotation's container, else the first. */
    private static String defaultContainer(ClusterView.PodRow pod, List<String> names) {
        String annotated = pod.template == null ? null : pod.template.annotations().get(dev.berth.bus.contract.PodTemplate.DEFAULT_CONTAINER_ANNOTATION);
        return annotated != null && names.contains(annotated) ? annotated : names.get(0);
    }

    /** The current run of the pod's container {@code name}: its own restart count (the pod's for a single container). */
    private static int restartsOf(ClusterView.PodRow pod, String name) {
        for (var list : List.of(pod.containerStatuses, pod.initContainerStatuses)) {
            for (var cs : list) if (cs.name().equals(name)) return cs.restartCount();
        }
        return pod.containerStatuses.isEmpty() ? pod.restarts : 0;
    }

    /** Berth's one container is named after the pod's deployment (as `get pod -o yaml` and the node agent name it). */
    static String containerName(ClusterView.PodRow pod) {
        String n = pod.deployment != null ? pod.deployment : pod.name;
        return n.length() > dev.berth.bus.Limits.CONTAINER_NAME_MAX_LENGTH ? n.substring(0, dev.berth.bus.Limits.CONTAINER_NAME_MAX_LENGTH) : n;
    }

    static String previousNotFound(Choice c) {
        return "Error from server (BadRequest): previous terminated container \"" + c.container() + "\" in pod \"" + c.pod() + "\" not found";
    }

    /** kubectl's logging order: the pod most likely to have logs first. */
    static final Comparator<ClusterView.PodRow> BY_LOGGING = Comparator
            .comparing((ClusterView.PodRow p) -> p.node == null)
            .thenComparing(p -> p.state != ContainerState.Running)
            .thenComparing(p -> !p.isReady())
            .thenComparing(p -> p.runningSince == null ? Instant.MAX : p.runningSince)
            .thenComparing(p -> -p.restarts)
            .thenComparing(p -> p.created == null ? Instant.MAX : p.created)
            .thenComparing(p -> p.name);

    static String deploymentName(String target) {
        for (String prefix : List.of("deployment/", "deployments/", "deploy/", "deployment.apps/", "deployments.apps/")) {
            if (target.startsWith(prefix)) return target.substring(prefix.length());
        }
        return null;
    }

    private static boolean matches(ContainerLogs l, Choice c) {
        return l.pod().equals(c.pod()) && l.namespace().equals(c.namespace()) && l.restartCount() == c.restartCount()
                && (l.container() == null || c.container() == null || l.container().equals(c.container()));
    }

    /** The lines to print for the chosen run, from its records in log order: --since, then --tail, then --timestamps. */
    static List<String> render(List<Envelope> records, Choice c, Shape shape) {
        Deque<String> out = new ArrayDeque<>();
        for (Envelope e : records) {
            if (!(e.data() instanceof ContainerLogs l) || !matches(l, c)) continue;
            if (l.dropped() > 0 && (shape.since() == null || !e.time().isBefore(shape.since()))) {
                out.add(line(e.time(), dropped(l.dropped()), shape.timestamps()));
            }
            for (LogLine line : l.lines()) {
                if (shape.since() != null && line.time().isBefore(shape.since())) continue;
                out.add(line(line.time(), line.text(), shape.timestamps()));
            }
            if (shape.tail() >= 0) while (out.size() > shape.tail()) out.removeFirst(); // bounded by the tail
        }
        return List.copyOf(out);
    }

    /** Following: each new record of the chosen run becomes its lines; a newer run ends it (kubectl's stream ends with its container). */
    static final class Follow {
        private final Choice choice;
        private final boolean timestamps;
        private boolean ended;

        Follow(Choice choice, boolean timestamps) {
            this.choice = choice;
            this.timestamps = timestamps;
        }

        List<String> accept(Envelope e) {
            if (!(e.data() instanceof ContainerLogs l) || !l.pod().equals(choice.pod()) || !l.namespace().equals(choice.namespace())) return List.of();
            if (l.container() != null && choice.container() != null && !l.container().equals(choice.container())) return List.of();
            if (l.restartCount() > choice.restartCount()) {
                ended = true;
                return List.of();
            }
            if (l.restartCount() < choice.restartCount()) return List.of();
            List<String> out = new ArrayList<>();
            if (l.dropped() > 0) out.add(line(e.time(), dropped(l.dropped()), timestamps));
            for (LogLine line : l.lines()) out.add(line(line.time(), line.text(), timestamps));
            return out;
        }

        boolean ended() { return ended; }
    }

    static String dropped(long n) {
        return "[berth] " + n + (n == 1 ? " line" : " lines") + " dropped: the pod exceeded its log rate";
    }

    private static String line(Instant time, String text, boolean timestamps) {
        return timestamps ? rfc3339Nano(time) + " " + text : text;
    }

    /** Go's RFC3339Nano, as kubectl --timestamps prints: UTC, the fraction without trailing zeros (none when zero). */
    static String rfc3339Nano(Instant t) {
        String base = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
        int nanos = t.getNano();
        if (nanos == 0) return base + "Z";
        String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
        return base + "." + fraction + "Z";
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** A Go duration (kubectl's --since): 10s, 5m, 1h30m, 1.5h, 250ms. */
    static Duration duration(String text) {
        String t = text.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        Matcher m = DURATION_PART.matcher(t);
        int at = 0;
        double nanos = 0;
        while (m.find() && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            nanos += v * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            at = m.end();
        }
        if (at != t.length()) throw new IllegalArgumentException("time: invalid duration \"" + text + "\"");
        return Duration.ofNanos((long) nanos);
    }
}
