package dev.berth.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows topics and hands each polled batch to a handler on the service's Vert.x context, one
 * batch at a time: the next poll waits until the handler's future completes, so a service sees
 * records in order and applies back-pressure. A failed batch is delivered again after a pause. In a
 * transactional group the handler commits the batch's offsets with its outputs. The handler
 * answers bad records itself, so no record stops the stream.
 */
public final class LogTail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogTail.class);

    /** Where to start reading. */
    public sealed interface Start {
        /** Every partition of the topics, from these offsets (0 where none is given): where a rebuild stopped. */
        record FromOffsets(Map<TopicPartition, Long> offsets) implements Start {}
        /**
         * Consumer group whose offsets the handler commits inside its producer transaction
         * ({@link Batch#nextOffsets()}, see {@link TransactionalPublisher}): exactly-once read-process-write.
         */
        record TransactionalGroup(String groupId) implements Start {}
    }

    private final KafkaConsumer<String, String> consumer;
    private final Thread poller;
    private volatile boolean running = true;
    /** A group member's metadata as of its last poll (its generation changes when it rejoins). */
    private volatile ConsumerGroupMetadata latestGroup;
    /** Records behind the assigned partitions' ends as of the last poll (for /metrics). */
    private volatile long lag;
    /** Per partition, the offset after the last record handed over (poller thread only). */
    private final Map<TopicPartition, Long> delivered = new HashMap<>();
    /** Epoch millis up to which this tail has handed everything over: see {@link #readUpTo()}. */
    private volatile long readUpTo;

    private LogTail(KafkaConsumer<String, String> consumer, String name, Runnable loop) {
        this.consumer = consumer;
        this.poller = new Thread(loop, "berth-tail-" + name);
        this.poller.setDaemon(true);
    }

    public static LogTail follow(Vertx vertx, BusConfig bus, String name, Collection<Topic> topics, Start start,
                                 Function<List<RawRecord>, Future<?>> handler) {
        return follow(vertx, bus, name, topics, start, Map.of(), handler);
    }

    /** Like {@link #follow}, with consumer settings of its own (e.g. a slower fetch cadence for a stream read only for its gist). */
    public static LogTail follow(Vertx vertx, BusConfig bus, String name, Collection<Topic> topics, Start start,
                                 Map<String, String> consumerSettings, Function<List<RawRecord>, Future<?>> handler) {
        return followBatches(vertx, bus, name, topics, start, consumerSettings, batch -> handler.apply(batch.records()));
    }

    /** Like {@link #follow}, handing the handler whole {@link Batch}es (records plus offsets and group metadata). */
    public static LogTail followBatches(Vertx vertx, BusConfig bus, String name, Collection<Topic> topics, Start start,
                                        Function<Batch, Future<?>> handler) {
        return followBatches(vertx, bus, name, topics, start, Map.of(), handler);
    }

    /** Like {@link #followBatches}, with consumer settings of its own. */
    public static LogTail followBatches(Vertx vertx, BusConfig bus, String name, Collection<Topic> topics, Start start,
                                         Map<String, String> consumerSettings, Function<Batch, Future<?>> handler) {
        String groupId = start instanceof Start.TransactionalGroup t ? t.groupId() : null;
        Map<String, String> config = bus.consumer(groupId, "berth-" + name);
        config.putAll(consumerSettings);
        if (groupId != null) {
            // One member per group (one writer per topic): static membership lets a restarted
            // instance take its partitions back at once instead of waiting out the dead one's session.
            config.put("group.instance.id", groupId);
            config.put("session.timeout.ms", "10000");
        }
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(config));
        Context context = vertx.getOrCreateContext();
        LogTail[] self = new LogTail[1];
        self[0] = new LogTail(consumer, name, () -> self[0].run(context, topics, start, handler, name));
        self[0].poller.start();
        return self[0];
    }

    private void run(Context context, Collection<Topic> topics, Start start, Function<Batch, Future<?>> handler,
                     String name) {
        try {
            position(topics, start);
            while (running) {
                long polledAt = System.currentTimeMillis();
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(200));
                boolean grouped = start instanceof Start.TransactionalGroup;
                if (grouped) latestGroup = consumer.groupMetadata(); // on the poller thread, the consumer's own
                lag = currentLag();
                if (polled.isEmpty()) {
                    // Only a connected reader has read "up to now": with the broker away, lags are stale zeros.
                    if (caughtUp() && connected()) readUpTo = polledAt;
                    continue;
                }
                List<RawRecord> records = new ArrayList<>(polled.count());
                for (ConsumerRecord<String, String> r : polled) {
                    // A member that rejoined the group reads again from the committed offsets; what it handed
                    // over already is in its state and on its way out in a pending transaction: not twice.
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (grouped && r.offset() < delivered.getOrDefault(tp, -1L)) continue;
                    delivered.put(tp, r.offset() + 1);
                    records.add(new RawRecord(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(),
                            Math.max(0, r.serializedValueSize())));
                }
                if (records.isEmpty()) continue;
                deliver(context, handler, new Batch(records, nextOffsets(polled), grouped ? latestGroup : null,
                        grouped ? () -> latestGroup : null), name);
                readUpTo = caughtUp() ? polledAt : Math.max(readUpTo, newestTimestamp(records));
            }
        } catch (WakeupException e) {
            // close() woke us up.
        } catch (Exception e) {
            if (running) log.error("[{}] log tail stopped: {}", name, e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Records this tail is behind the ends of its partitions, as of its last poll. */
    public long lag() { return lag; }

    /** From the consumer's own fetch positions and the ends it last saw: no request to the broker. */
    private long currentLag() {
        long sum = 0;
        for (TopicPartition tp : consumer.assignment()) sum += consumer.currentLag(tp).orElse(0);
        return sum;
    }

    private void deliver(Context context, Function<Batch, Future<?>> handler, Batch batch, String name)
            throws InterruptedException {
        while (running) {
            CompletableFuture<Object> done = new CompletableFuture<>();
            context.runOnContext(v -> {
                try {
                    handler.apply(batch).onComplete(ar -> {
                        if (ar.succeeded()) done.complete(null);
                        else done.completeExceptionally(ar.cause());
                    });
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            try {
                awaitKeepingMembership(done);
                return;
            } catch (ExecutionException e) {
                log.warn("[{}] batch of {} records failed, retrying in 1 s: {}", name, batch.records().size(), e.getCause().toString());
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Waits for the handler while the consumer keeps polling with its partitions paused: a handler
     * that waits out a broker outage (or a long unit of work) does not get this member evicted from
     * its group, and no record is fetched past the batch being handled.
     */
    private void awaitKeepingMembership(CompletableFuture<Object> done) throws InterruptedException, ExecutionException {
        Set<TopicPartition> paused = null;
        try {
            while (true) {
                try {
                    done.get(1, TimeUnit.SECONDS);
                    return;
                } catch (java.util.concurrent.TimeoutException stillWorking) {
                    if (!running) return;
                    if (paused == null) {
                        paused = new HashSet<>(consumer.assignment());
                        consumer.pause(paused);
                    }
                    consumer.poll(Duration.ZERO);
                }
            }
        } finally {
            if (paused != null) consumer.resume(paused);
        }
    }

    /**
     * The time up to which the handler has seen this tail's records: the moment of the last poll
     * that found the tail at the end of every partition, or, while it lags, the newest record time
     * it has handed over. A service judging silence (no heartbeat for a while) measures it against
     * this rather than the wall clock, so a reader that fell behind does not take unread records for
     * silence. 0 before the first batch.
     */
    public Instant readUpTo() { return Instant.ofEpochMilli(readUpTo); }

    /** Whether the consumer holds a connection to the cluster (its own metric; no round trip). */
    private boolean connected() {
        for (var e : consumer.metrics().entrySet()) {
            if (e.getKey().name().equals("connection-count") && e.getKey().group().equals("consumer-metrics")) {
                return e.getValue().metricValue() instanceof Number n && n.doubleValue() > 0;
            }
        }
        return true;
    }

    /** Whether the last poll left nothing unread in any assigned partition. */
    private boolean caughtUp() {
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isEmpty() || lag.getAsLong() > 0) return false;
        }
        return true;
    }

    private static long newestTimestamp(List<RawRecord> records) {
        long newest = 0;
        for (RawRecord r : records) newest = Math.max(newest, r.timestamp());
        return newest;
    }

    private void position(Collection<Topic> topics, Start start) {
        if (start instanceof Start.FromOffsets o) {
            List<TopicPartition> partitions = LogReader.partitions(consumer, topics);
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) consumer.seek(tp, o.offsets().getOrDefault(tp, 0L));
        } else {
            consumer.subscribe(topics.stream().map(Topic::topicName).toList());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> polled) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : polled.partitions()) {
            List<ConsumerRecord<String, String>> records = polled.records(tp);
            next.put(tp, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
        }
        return next;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
