package dev.berth.bus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates the catalogue's topics (blocking; call it off the event loop). */
public final class TopicAdmin {
    private TopicAdmin() {}

    /**
     * A created topic serves only once each partition has a leader; an idempotent producer that
     * writes earlier can get stuck retrying out-of-order sequences until its records expire.
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (haveLeaders(admin, topics)) return;
            Thread.sleep(50);
        }
        throw new IllegalStateException("topics have no leader after 30 s: " + topics);
    }

    private static boolean haveLeaders(Admin admin, List<String> topics) throws Exception {
        try {
            boolean ready = true;
            for (var d : admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values()) {
                for (var p : d.partitions()) ready &= p.leader() != null && !p.leader().isEmpty();
            }
            return ready;
        } catch (ExecutionException e) {
            // Just created: on a busy broker the metadata may not list the topic yet.
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return false;
            throw e;
        }
    }

    public static void ensureTopics(BusConfig bus) {
        try (Admin admin = Admin.create(bus.props(bus.admin()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic t : Topic.values()) {
                if (existing.contains(t.topicName())) continue;
                Map<String, String> configs = new java.util.HashMap<>(Map.of(
                        "cleanup.policy", t.cleanup() == Topic.Cleanup.COMPACT ? "compact" : "delete",
                        "retention.ms", Long.toString(t.retention().toMillis()),
                        // Retention only drops whole segments: roll them often enough for it to bite.
                        "segment.ms", Long.toString(Math.min(t.retention().toMillis() / 24, Duration.ofDays(7).toMillis()))));
                // A heartbeat's record time is when the broker stored it, not what the node's clock says:
                // node liveness never depends on a node's clock (the controller also uses its own receive time).
                if (t == Topic.NODE_HEARTBEATS) configs.put("message.timestamp.type", "LogAppendTime");
                missing.add(new NewTopic(t.topicName(), t.partitions(), (short) 1).configs(configs));
            }
            if (missing.isEmpty()) return;
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create Berth topics on " + bus.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }
}
