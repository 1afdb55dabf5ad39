package dev.berth.bench;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Tails what the control plane and the nodes publish with a plain KafkaConsumer and notes, per pod,
 * when each step reached the log (the broker's append time, see {@link BenchTopics}). Pods whose name
 * starts with the measured prefix are counted as they progress; the rest (probes) are only recorded.
 */
final class EventObserver implements AutoCloseable {
    static final List<Topic> TOPICS = List.of(Topic.COMMAND_RESULTS, Topic.PODS, Topic.PLACEMENTS, Topic.POD_STATUS,
            Topic.SCHEDULING, Topic.NODES);

    /** When one pod's events reached the log, in epoch ms (-1: not yet), and what they carried. */
    static final class PodTimes {
        final String pod;
        long createdAt = -1, placedAt = -1, startingAt = -1, runningAt = -1, stoppedAt = -1;
        String createdCorrelation, placedCorrelation, runningCorrelation;
        int createdBytes, nodesConsidered;

        PodTimes(String pod) { this.pod = pod; }

        String deployment() { return pod.substring(0, Math.max(0, pod.lastIndexOf('-'))); }

        PodTimes copy() {
            PodTimes c = new PodTimes(pod);
            c.createdAt = createdAt; c.placedAt = placedAt; c.startingAt = startingAt; c.runningAt = runningAt; c.stoppedAt = stoppedAt;
            c.createdCorrelation = createdCorrelation; c.placedCorrelation = placedCorrelation;
            c.runningCorrelation = runningCorrelation; c.createdBytes = createdBytes; c.nodesConsidered = nodesConsidered;
            return c;
        }
    }

    /** Progress of the measured pods and what went wrong on the way. */
    record Counts(int placed, int running, int stopped, int unschedulable, int lost, int notReady, String lastUnschedulable) {}

    private final String measuredPrefix;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    // Guarded by this.
    private final Map<String, PodTimes> pods = new HashMap<>();
    private final Map<String, String> results = new HashMap<>();
    private final Set<String> readyNodes = new HashSet<>();
    private int placed, started, stopped, unschedulable, lost, notReady;
    private String lastUnschedulable;

    private EventObserver(BusConfig bus, String measuredPrefix) {
        this.measuredPrefix = measuredPrefix;
        Map<String, String> config = bus.consumer(null, "berth-bench-observer");
        config.put("max.poll.records", "5000");
        this.consumer = new KafkaConsumer<>(bus.props(config));
        this.thread = new Thread(this::run, "bench-observer");
        this.thread.setDaemon(true);
    }

    /** Reads every topic of {@link #TOPICS} from the beginning (the broker is fresh). */
    static EventObserver start(BusConfig bus, String measuredPrefix) {
        EventObserver observer = new EventObserver(bus, measuredPrefix);
        List<TopicPartition> partitions = new ArrayList<>();
        for (Topic t : TOPICS) {
            for (PartitionInfo p : observer.consumer.partitionsFor(t.topicName(), Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(p.topic(), p.partition()));
            }
        }
        observer.consumer.assign(partitions);
        observer.consumer.seekToBeginning(partitions);
        observer.thread.start();
        return observer;
    }

    private void run() {
        try {
            while (running) {
                var polled = consumer.poll(Duration.ofMillis(100));
                if (polled.isEmpty()) continue;
                synchronized (this) {
                    for (ConsumerRecord<String, String> r : polled) take(r);
                }
            }
        } catch (WakeupException e) {
            // close()
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void take(ConsumerRecord<String, String> r) {
        EnvelopeFields e = EnvelopeFields.parse(r.value());
        if (e == null || e.type() == null) return;
        long at = r.timestamp();
        switch (e.type()) {
            case "CommandAccepted" -> results.put(e.get("commandId"), "accepted");
            case "CommandRejected" -> results.put(e.get("commandId"), "rejected: " + e.get("reason"));
            case "PodCreated" -> {
                PodTimes p = pod(e.get("pod"));
                if (p.createdAt < 0) {
                    p.createdAt = at;
                    p.createdCorrelation = e.correlationId();
                    p.createdBytes = r.serializedValueSize();
                }
            }
            case "PodPlaced" -> {
                PodTimes p = pod(e.get("pod"));
                if (p.placedAt < 0) {
                    p.placedAt = at;
                    p.placedCorrelation = e.correlationId();
                    // Every node the scheduler knew: nodesKnown when it examined a sample of them.
                    p.nodesConsidered = Integer.parseInt(e.data().getOrDefault("nodesKnown", e.data().getOrDefault("nodesConsidered", "0")));
                    if (measured(p)) placed++;
                }
            }
            case "PodStatusChanged" -> status(pod(e.get("pod")), e, at);
            case "PodUnschedulable" -> {
                unschedulable++;
                lastUnschedulable = e.get("message");
            }
            case "PodLost" -> lost++;
            case "NodeStatusChanged" -> {
                if ("Ready".equals(e.get("condition"))) {
                    readyNodes.add(e.get("node"));
                } else {
                    readyNodes.remove(e.get("node"));
                    notReady++;
                }
            }
            default -> { }
        }
    }

    private void status(PodTimes p, EnvelopeFields e, long at) {
        String state = e.get("state");
        if ("Starting".equals(state) && p.startingAt < 0) {
            p.startingAt = at;
        } else if ("Running".equals(state) && p.runningAt < 0 && answers(p, e)) {
            p.runningAt = at;
            p.runningCorrelation = e.correlationId();
            if (measured(p)) started++;
        } else if ("Stopped".equals(state) && p.stoppedAt < 0) {
            p.stoppedAt = at;
            if (measured(p)) stopped++;
        }
    }

    /**
     * A Running is matched to its command by correlation id where it carries one (node agents name the
     * placement they answer); else, or while the pod's own events are still unread, by pod name alone.
     */
    private static boolean answers(PodTimes p, EnvelopeFields running) {
        String expected = p.placedCorrelation != null ? p.placedCorrelation : p.createdCorrelation;
        return running.correlationId() == null || expected == null || running.correlationId().equals(expected);
    }

    private PodTimes pod(String name) {
        return pods.computeIfAbsent(name == null ? "?" : name, PodTimes::new);
    }

    private boolean measured(PodTimes p) { return p.pod.startsWith(measuredPrefix); }

    synchronized Counts counts() {
        check();
        return new Counts(placed, started, stopped, unschedulable, lost, notReady, lastUnschedulable);
    }

    synchronized int readyNodes() {
        check();
        return readyNodes.size();
    }

    /** "accepted", "rejected: why", or null while unanswered. */
    synchronized String result(String commandId) {
        check();
        return results.get(commandId);
    }

    /** Copies of the pods whose name starts with {@code prefix}. */
    synchronized List<PodTimes> pods(String prefix) {
        check();
        List<PodTimes> out = new ArrayList<>();
        for (PodTimes p : pods.values()) if (p.pod.startsWith(prefix)) out.add(p.copy());
        return out;
    }

    private void check() {
        if (failure != null) throw new IllegalStateException("the observer's consumer failed: " + failure, failure);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
