package dev.berth.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shell's way out: wraps core outputs in envelopes and sends them (idempotent, acks=all).
 *
 * <p>Cheap per record: a batch of records costs one hand-off to the sending thread and one hop back
 * to the caller's context when the last ack arrives, not a promise and a context hop per record.
 * {@link KafkaProducer#send} may block (waiting for a topic's metadata or for buffer space), so it
 * runs on a thread of this publisher's own, never on an event loop; that thread is single, so
 * records go to the producer in the order they were given (and the idempotent producer keeps that
 * order per partition, hence per key).
 */
public final class Publisher {
    private static final Logger log = LoggerFactory.getLogger(Publisher.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /** One record to send: its envelope is encoded on the sending thread. */
    public record Message(Topic topic, String key, Envelope envelope) {}

    private final Vertx vertx;
    private final KafkaProducer<String, String> producer;
    private final String source;
    /** One thread at most, ended when idle for a while: keeps the order of sends without a thread per idle publisher. */
    private final ThreadPoolExecutor sender;
    private final Callback forgotten = new FailureLogger();

    private Publisher(Vertx vertx, KafkaProducer<String, String> producer, String source) {
        this.vertx = vertx;
        this.producer = producer;
        this.source = source;
        this.sender = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, "berth-publisher-" + source);
            t.setDaemon(true);
            return t;
        });
        sender.allowCoreThreadTimeOut(true);
    }

    public static Publisher create(Vertx vertx, BusConfig bus, String source) {
        return new Publisher(vertx, new KafkaProducer<>(bus.props(bus.producer("berth-" + source))), source);
    }

    public String source() { return source; }

    /** Publishes outputs caused by {@code cause} (null for spontaneous ones); completes when all are acked. */
    public Future<Void> publish(Envelope cause, List<Outbound> outputs) {
        if (outputs.isEmpty()) return Future.succeededFuture();
        Instant now = Instant.now();
        List<Message> messages = new ArrayList<>(outputs.size());
        for (Outbound out : outputs) {
            Envelope env = cause == null
                    ? Envelope.spontaneous(out.payload(), source, now)
                    : Envelope.causedBy(cause, out.payload(), source, now);
            messages.add(new Message(out.topic(), out.key(), env));
        }
        return sendAll(messages);
    }

    public Future<Void> send(Topic topic, String key, Envelope envelope) {
        return sendAll(List.of(new Message(topic, key, envelope)));
    }

    /**
     * Sends all {@code messages}, in order; completes on the caller's context when the last is acked,
     * or fails with the first error (the others may or may not have been written).
     */
    public Future<Void> sendAll(List<Message> messages) {
        return dispatch(messages, Publisher::record);
    }

    /**
     * Sends {@code messages} with no future to wait on (heartbeats: the next one replaces a lost one).
     * Failures are logged, a warning for the first after a success and debug lines for the rest.
     */
    public void sendAndForget(List<Message> messages) {
        if (messages.isEmpty()) return;
        try {
            sender.execute(() -> {
                for (Message m : messages) {
                    try {
                        producer.send(record(m), forgotten);
                    } catch (RuntimeException e) {
                        forgotten.onCompletion(null, e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("[{}] closed, {} records not sent", source, messages.size());
        }
    }

    /** Sends ready-made records (e.g. dead letters), in order; completes when all are acked. */
    public Future<Void> publishAll(List<TransactionalPublisher.Publication> records) {
        return dispatch(records, p -> new ProducerRecord<>(p.topic(), p.key(), p.value()));
    }

    /** Sets a poison record aside with the reason, so the consumer can move on. */
    public Future<Void> deadLetter(String topic, int partition, long offset, String value, String reason) {
        String letter = deadLetterValue(topic, partition, offset, value, reason, source);
        return dispatch(List.of(letter), v -> new ProducerRecord<>(Topic.DEAD_LETTERS.topicName(), topic, v));
    }

    /** The dead-letter record ({@link DeadLetter}): where the poison record was, who set it aside, why, and a bounded excerpt. */
    public static String deadLetterValue(String topic, int partition, long offset, String value, String reason, String consumer) {
        return DeadLetter.of(new RawRecord(topic, partition, offset, -1, null, value), reason, consumer, Instant.now()).toJson();
    }

    /**
     * Flushes what was handed over and closes the producer (waiting at most a few seconds for acks), on
     * the sending thread, after the sends queued before it; completes on the caller's context.
     */
    public Future<Void> close() {
        Context context = vertx.getOrCreateContext();
        Promise<Void> closed = Promise.promise();
        try {
            sender.execute(() -> {
                try {
                    producer.close(CLOSE_TIMEOUT);
                    context.runOnContext(v -> closed.complete());
                } catch (RuntimeException e) {
                    context.runOnContext(v -> closed.fail(e));
                }
            });
            sender.shutdown();
        } catch (RejectedExecutionException e) {
            return Future.succeededFuture(); // closed already
        }
        return closed.future();
    }

    private static ProducerRecord<String, String> record(Message m) {
        return new ProducerRecord<>(m.topic().topicName(), m.key(), Json.encode(m.envelope()));
    }

    /** Hands {@code items} to the sending thread as one task; one promise for them all. */
    private <T> Future<Void> dispatch(List<T> items, Function<T, ProducerRecord<String, String>> toRecord) {
        if (items.isEmpty()) return Future.succeededFuture();
        BatchAck ack = new BatchAck(vertx.getOrCreateContext(), items.size());
        try {
            sender.execute(() -> {
                for (T item : items) {
                    if (ack.settled()) return; // failed already: the rest would be written for nobody
                    try {
                        producer.send(toRecord.apply(item), ack);
                    } catch (RuntimeException e) { // encoding, a closed producer, metadata not found in time
                        ack.fail(e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(new IllegalStateException("publisher " + source + " is closed", e));
        }
        return ack.promise.future();
    }

    /** Counts acks down and settles the promise once, on the caller's context: at the last ack or the first error. */
    private static final class BatchAck implements Callback {
        private final Context context;
        private final Promise<Void> promise = Promise.promise();
        private final AtomicInteger unacked;
        private final AtomicBoolean settled = new AtomicBoolean();

        BatchAck(Context context, int count) {
            this.context = context;
            this.unacked = new AtomicInteger(count);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error != null) fail(error);
            else if (unacked.decrementAndGet() == 0 && settled.compareAndSet(false, true)) context.runOnContext(v -> promise.complete());
        }

        void fail(Throwable error) {
            if (settled.compareAndSet(false, true)) context.runOnContext(v -> promise.fail(error));
        }

        boolean settled() { return settled.get(); }
    }

    /** For fire-and-forget sends: one warning per run of failures, so a broker outage does not flood the log. */
    private final class FailureLogger implements Callback {
        private final AtomicBoolean failing = new AtomicBoolean();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error == null) {
                if (failing.get()) failing.set(false);
            } else if (failing.compareAndSet(false, true)) {
                log.warn("[{}] records not sent (further failures at debug level): {}", source, error.toString());
            } else {
                log.debug("[{}] record not sent: {}", source, error.toString());
            }
        }
    }
}
