package dev.berth.cli;

import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "describe", description = "Show a pod in detail: spec, node, status, restarts, last exit, the scheduler's reasons and"
        + " recent events. berth describe pod/NAME (or: berth describe pod NAME)")
final class DescribeCommand implements Callable<Integer> {
    static final List<Topic> POD_TOPICS = List.of(Topic.PODS, Topic.PLACEMENTS, Topic.SCHEDULING, Topic.POD_STATUS);

    @Mixin ClusterOptions cluster;
    @Mixin HistoryOptions history;
    @Mixin NamespaceOptions namespaces;

    @Parameters(index = "0", paramLabel = "pod/NAME")
    String resource;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "the name, when the first argument is just 'pod'")
    String name;

    @Override
    public Integer call() {
        String pod = podName(resource, name);
        List<dev.berth.bus.Envelope> log = history.source(cluster).entries(POD_TOPICS).stream().map(LogSource.Entry::envelope).toList();
        String description = PodDescription.describe(pod, log, Instant.now());
        if (description == null) throw new IllegalArgumentException("pod/" + pod + " not found");
        String elsewhere = PodNamespace.mismatch(pod, log, namespaces);
        if (elsewhere != null) throw new IllegalArgumentException(elsewhere);
        System.out.print(description);
        return 0;
    }

    /** {@code pod/NAME}, or {@code pod NAME}; pods and po work too. */
    static String podName(String resource, String name) {
        int slash = resource.indexOf('/');
        String kind = slash < 0 ? resource : resource.substring(0, slash);
        if (!kind.equals("pod") && !kind.equals("pods") && !kind.equals("po")) {
            throw new IllegalArgumentException("berth describe shows pods: expected pod/NAME, got " + resource);
        }
        String pod = slash < 0 ? name : resource.substring(slash + 1);
        if (pod == null || pod.isBlank()) throw new IllegalArgumentException("which pod? berth describe pod/NAME");
        return pod;
    }
}
