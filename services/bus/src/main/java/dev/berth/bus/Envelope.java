package dev.berth.bus;

import dev.berth.bus.contract.Payload;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one shape of every record value on every Berth topic.
 *
 * @param id            unique event id
 * @param type          payload type name, e.g. {@code ApplyDeployment}
 * @param version       schema version of the payload type
 * @param time          when the source produced it
 * @param source        producing service (controller, scheduler, node-agent/NODE, cli)
 * @param correlationId id of the user command this descends from (itself, for a command)
 * @param causationId   id of the event that directly caused this one (null for a command)
 * @param data          the payload
 */
public record Envelope(String id, String type, int version, Instant time, String source,
                       String correlationId, String causationId, Payload data) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(data, "data");
    }

    /** A new root envelope: a command starts its own correlation chain. */
    public static Envelope command(Payload data, String source, Instant now) {
        String id = newId();
        return new Envelope(id, Payloads.typeName(data), Payloads.version(data), now, source, id, null, data);
    }

    /** An envelope for an event caused by {@code cause}: inherits its correlation id. */
    public static Envelope causedBy(Envelope cause, Payload data, String source, Instant now) {
        return new Envelope(newId(), Payloads.typeName(data), Payloads.version(data), now, source,
                cause.correlationId() != null ? cause.correlationId() : cause.id(), cause.id(), data);
    }

    /**
     * A random (version 4) UUID from a thread-local generator: ids need to be unique, not
     * unguessable, and {@link UUID#randomUUID()}'s shared SecureRandom costs as much as encoding a
     * small record.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;                  // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }

    /** An envelope with no causing record (periodic resync, heartbeat). */
    public static Envelope spontaneous(Payload data, String source, Instant now) {
        String id = newId();
        return new Envelope(id, Payloads.typeName(data), Payloads.version(data), now, source, null, null, data);
    }
}
