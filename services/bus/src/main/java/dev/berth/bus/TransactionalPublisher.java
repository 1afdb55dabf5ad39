package dev.berth.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a unit of work atomically: all its records, and optionally the consumer offsets of
 * the batch that caused them, in one Kafka transaction. Readers use read_committed, so a service
 * killed mid-unit leaves no trace of it, and the unit is redone from the same input after restart.
 *
 * <p>The transactional id is the service's name: a second instance of the same service fences
 * the first (its next commit fails with ProducerFencedException), so a topic never has two live
 * writers. Transactions block, so they run on a worker thread, one at a time and in order.
 *
 * <p>A failed commit never leaves the producer in an illegal state: a commit that timed out is
 * completed by calling commit again (Kafka's documented retry), any other retriable failure aborts
 * the transaction, and when even that fails the producer is closed and a new one initialised (which
 * settles whatever the old one left open) before the next attempt.
 */
public final class TransactionalPublisher {
    private static final Logger log = LoggerFactory.getLogger(TransactionalPublisher.class);
    /** Attempts to finish a commit that timed out before the producer is replaced. */
    private static final int COMMIT_RETRIES = 3;

    /** One record to publish. */
    public record Publication(String topic, String key, String value) {
        public static Publication of(Topic topic, String key, Envelope envelope) {
            return new Publication(topic.topicName(), key, Json.encode(envelope));
        }

        /** {@code record} set aside on berth.dead-letters by {@code consumer}, with the reason. */
        public static Publication deadLetter(RawRecord record, String reason, String consumer) {
            return new Publication(Topic.DEAD_LETTERS.topicName(), record.topic(),
                    DeadLetter.of(record, reason, consumer, Instant.now()).toJson());
        }
    }

    /** Consumer offsets to commit with a transaction's records: per partition, the next offset to read. */
    public record Offsets(Map<TopicPartition, OffsetAndMetadata> next, ConsumerGroupMetadata group,
                          Supplier<ConsumerGroupMetadata> latestGroup) {
        public Offsets {
            if (latestGroup == null) latestGroup = () -> group;
        }

        public Offsets(Map<TopicPartition, OffsetAndMetadata> next, ConsumerGroupMetadata group) { this(next, group, null); }

        public static Offsets of(Batch batch) {
            return batch == null || batch.group() == null || batch.nextOffsets().isEmpty() ? null
                    : new Offsets(batch.nextOffsets(), batch.group(), batch.latestGroup());
        }

        /** The group's metadata to commit with now: a retry after the member rejoined needs the new generation. */
        public ConsumerGroupMetadata currentGroup() {
            ConsumerGroupMetadata latest = latestGroup.get();
            return latest != null ? latest : group;
        }
    }

    private final Vertx vertx;
    private final BusConfig bus;
    private final String transactionalId;
    private KafkaProducer<String, String> producer;
    private boolean needsReset;
    private volatile boolean fenced;

    private TransactionalPublisher(Vertx vertx, BusConfig bus, String transactionalId, KafkaProducer<String, String> producer) {
        this.vertx = vertx;
        this.bus = bus;
        this.transactionalId = transactionalId;
        this.producer = producer;
    }

    /** Creates the producer and initialises transactions (aborting whatever a crashed predecessor left open). */
    public static Future<TransactionalPublisher> create(Vertx vertx, BusConfig bus, String transactionalId) {
        return vertx.executeBlocking(() -> new TransactionalPublisher(vertx, bus, transactionalId, newProducer(bus, transactionalId)));
    }

    private static KafkaProducer<String, String> newProducer(BusConfig bus, String transactionalId) {
        Map<String, String> config = bus.producer("berth-" + transactionalId);
        config.put("transactional.id", transactionalId);
        config.put("transaction.timeout.ms", "30000");
        KafkaProducer<String, String> producer = new KafkaProducer<>(bus.props(config));
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        return producer;
    }

    /** Publishes {@code records} and, when {@code consumed} is a group batch, commits its offsets in the same transaction. */
    public Future<Void> commit(List<Publication> records, Batch consumed) {
        Offsets offsets = Offsets.of(consumed);
        if (records.isEmpty() && offsets == null) return Future.succeededFuture();
        return commit(() -> records, offsets);
    }

    /**
     * Like {@link #commit(List, Batch)}, with the records made (encoded) on the worker thread that
     * runs the transaction, so the event loop does not spend its time encoding.
     */
    public Future<Void> commit(Supplier<List<Publication>> records) { return commit(records, null); }

    public Future<Void> commit(Supplier<List<Publication>> made, Offsets offsets) {
        return vertx.executeBlocking(() -> {
            if (fenced) throw new IllegalStateException(transactionalId + " was fenced by a newer instance");
            List<Publication> records = made.get();
            if (records.isEmpty() && offsets == null) return null;
            if (needsReset) reset();
            try {
                producer.beginTransaction();
                for (Publication p : records) producer.send(new ProducerRecord<>(p.topic(), p.key(), p.value()));
                if (offsets != null) producer.sendOffsetsToTransaction(offsets.next(), offsets.currentGroup());
                commitOrRetry();
                return null;
            } catch (KafkaException | IllegalStateException e) {
                if (isFatal(e)) {
                    // Another instance took over (or we may not write): this one must not write again.
                    fenced = true;
                    log.error("[{}] fenced, stopping publishing: {}", transactionalId, e.toString());
                    throw e;
                }
                abortOrReset();
                throw e;
            }
        }, true);
    }

    /** A commit that timed out may be retried as is; if it keeps timing out the producer is replaced. */
    private void commitOrRetry() {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt >= COMMIT_RETRIES) throw e;
                log.warn("[{}] commit timed out, completing it (attempt {}): {}", transactionalId, attempt + 1, e.toString());
            }
        }
    }

    private void abortOrReset() {
        try {
            producer.abortTransaction();
        } catch (RuntimeException e) {
            if (isFatal(e)) {
                fenced = true;
                return;
            }
            // E.g. a commit that timed out cannot be aborted: start over with a new producer.
            log.warn("[{}] cannot abort ({}): the producer is replaced before the next attempt", transactionalId, e.toString());
            needsReset = true;
        }
    }

    /** Closes the producer and initialises a new one with the same transactional id: that settles the old one's transaction. */
    private void reset() {
        producer.close(Duration.ZERO);
        producer = newProducer(bus, transactionalId);
        needsReset = false;
        log.info("[{}] producer re-initialised", transactionalId);
    }

    public boolean fenced() { return fenced; }

    /** Kafka reports fencing directly or as the cause of a later "error state" exception. */
    static boolean isFatal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof OutOfOrderSequenceException || t instanceof AuthorizationException
                    || t instanceof TransactionalIdAuthorizationException) return true;
        }
        return false;
    }

    public Future<Void> close() {
        return vertx.executeBlocking(() -> {
            producer.close(Duration.ofSeconds(5));
            return null;
        });
    }
}
