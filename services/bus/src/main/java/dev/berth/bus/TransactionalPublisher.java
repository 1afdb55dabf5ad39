package dev.berth.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
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
 */
public final class TransactionalPublisher {
    private static final Logger log = LoggerFactory.getLogger(TransactionalPublisher.class);

    /** One record to publish. */
    public record Publication(String topic, String key, String value) {
        public static Publication of(Topic topic, String key, Envelope envelope) {
            return new Publication(topic.topicName(), key, Json.encode(envelope));
        }

        /** {@code record} set aside on berth.dead-letters by {@code consumer}, with the reason. */
        public static Publication deadLetter(RawRecord record, String reason, String consumer) {
            return new Publication(Topic.DEAD_LETTERS.topicName(), record.topic(), Publisher.deadLetterValue(
                    record.topic(), record.partition(), record.offset(), record.value(), reason, consumer));
        }
    }

    private final Vertx vertx;
    private final KafkaProducer<String, String> producer;
    private final String transactionalId;
    private volatile boolean fenced;

    private TransactionalPublisher(Vertx vertx, KafkaProducer<String, String> producer, String transactionalId) {
        this.vertx = vertx;
        this.producer = producer;
        this.transactionalId = transactionalId;
    }

    /** Creates the producer and initialises transactions (aborting whatever a crashed predecessor left open). */
    public static Future<TransactionalPublisher> create(Vertx vertx, BusConfig bus, String transactionalId) {
        return vertx.executeBlocking(() -> {
            Map<String, String> config = bus.producer("berth-" + transactionalId);
            config.put("transactional.id", transactionalId);
            config.put("transaction.timeout.ms", "30000");
            KafkaProducer<String, String> producer = new KafkaProducer<>(bus.props(config));
            producer.initTransactions();
            return new TransactionalPublisher(vertx, producer, transactionalId);
        });
    }

    /** Publishes {@code records} and, when {@code consumed} is a group batch, commits its offsets in the same transaction. */
    public Future<Void> commit(List<Publication> records, Batch consumed) {
        boolean withOffsets = consumed != null && consumed.group() != null && !consumed.nextOffsets().isEmpty();
        if (records.isEmpty() && !withOffsets) return Future.succeededFuture();
        return commit(() -> records, withOffsets ? consumed : null);
    }

    /**
     * Like {@link #commit(List, Batch)}, with the records made (encoded) on the worker thread that
     * runs the transaction, so the event loop does not spend its time encoding.
     */
    public Future<Void> commit(Supplier<List<Publication>> records) { return commit(records, null); }

    private Future<Void> commit(Supplier<List<Publication>> made, Batch consumed) {
        boolean withOffsets = consumed != null;
        return vertx.executeBlocking(() -> {
            if (fenced) throw new IllegalStateException(transactionalId + " was fenced by a newer instance");
            List<Publication> records = made.get();
            if (records.isEmpty() && !withOffsets) return null;
            try {
                producer.beginTransaction();
                for (Publication p : records) producer.send(new ProducerRecord<>(p.topic(), p.key(), p.value()));
                if (withOffsets) producer.sendOffsetsToTransaction(consumed.nextOffsets(), consumed.group());
                producer.commitTransaction();
                return null;
            } catch (KafkaException e) {
                if (isFatal(e)) {
                    // Another instance took over (or the producer broke for good): this one must not write again.
                    fenced = true;
                    log.error("[{}] fenced, stopping publishing: {}", transactionalId, e.toString());
                    throw e;
                }
                producer.abortTransaction();
                throw e;
            }
        }, true);
    }

    public boolean fenced() { return fenced; }

    /** Kafka reports fencing directly or as the cause of a later "error state" exception. */
    private static boolean isFatal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof OutOfOrderSequenceException || t instanceof AuthorizationException) return true;
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
