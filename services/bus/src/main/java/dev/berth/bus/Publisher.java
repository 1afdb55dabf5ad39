package dev.berth.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The shell's way out: wraps core outputs in envelopes and sends them (idempotent, acks=all). */
public final class Publisher {
    private final KafkaProducer<String, String> producer;
    private final String source;

    private Publisher(KafkaProducer<String, String> producer, String source) {
        this.producer = producer;
        this.source = source;
    }

    public static Publisher create(Vertx vertx, BusConfig bus, String source) {
        return new Publisher(KafkaProducer.create(vertx, bus.producer("berth-" + source)), source);
    }

    public String source() { return source; }

    /** Publishes outputs caused by {@code cause} (null for spontaneous ones); completes when all are acked. */
    public Future<Void> publish(Envelope cause, List<Outbound> outputs) {
        if (outputs.isEmpty()) return Future.succeededFuture();
        Instant now = Instant.now();
        List<Future<?>> sends = new ArrayList<>(outputs.size());
        for (Outbound out : outputs) {
            Envelope env = cause == null
                    ? Envelope.spontaneous(out.payload(), source, now)
                    : Envelope.causedBy(cause, out.payload(), source, now);
            sends.add(send(out.topic(), out.key(), env));
        }
        return Future.all(sends).mapEmpty();
    }

    public Future<Void> send(Topic topic, String key, Envelope envelope) {
        return producer.send(KafkaProducerRecord.create(topic.topicName(), key, Json.encode(envelope))).mapEmpty();
    }

    /** Sets a poison record aside with the reason, so the consumer can move on. */
    public Future<Void> deadLetter(String topic, int partition, long offset, String value, String reason) {
        return producer.send(KafkaProducerRecord.create(Topic.DEAD_LETTERS.topicName(), topic,
                deadLetterValue(topic, partition, offset, value, reason, source))).mapEmpty();
    }

    /** The dead-letter record: where the poison record was, who set it aside, why, and the record itself. */
    public static String deadLetterValue(String topic, int partition, long offset, String value, String reason, String consumer) {
        return Json.object()
                .put("topic", topic).put("partition", partition).put("offset", offset)
                .put("consumer", consumer).put("reason", reason).put("value", value).toString();
    }

    public Future<Void> close() { return producer.close(); }
}
