package dev.berth.bus;

import dev.berth.bus.contract.Payload;
import java.time.Instant;

/**
 * What a pure core wants published: the loop wraps it in an envelope and sends it.
 *
 * @param cause what the output answers (null: spontaneous, e.g. a resync or a node timeout)
 * @param payload what to publish; null for a tombstone on a compacted topic ({@link #tombstone})
 * @param id    the envelope id the core chose for it (null: the loop makes a fresh one); a core names
 *              an output when later outputs name it as their cause
 */
public record Outbound(Topic topic, String key, Payload payload, Cause cause, String id) {

    public Outbound(Topic topic, String key, Payload payload) { this(topic, key, payload, null, null); }

    /** Removes {@code key}'s state from a compacted topic: a record with a null value, which compaction keeps only briefly. */
    public static Outbound tombstone(Topic topic, String key) {
        if (!topic.compacted()) throw new IllegalArgumentException(topic.topicName() + " is not compacted: a tombstone would mean nothing");
        return new Outbound(topic, key, null);
    }

    public boolean isTombstone() { return payload == null; }

    public Outbound causedBy(Cause newCause) { return new Outbound(topic, key, payload, newCause, id); }

    public Outbound named(String newId) { return new Outbound(topic, key, payload, cause, newId); }

    /** The envelope this output is published in, made by {@code source} at {@code now}. */
    public Envelope envelope(String source, Instant now) {
        String envelopeId = id != null ? id : Envelope.newId();
        return new Envelope(envelopeId, Payloads.typeName(payload), Payloads.version(payload), now, source,
                cause == null ? null : cause.correlationId(), cause == null ? null : cause.causationId(), payload);
    }
}
