package dev.berth.bus;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What an output answers: the user command its chain started from ({@code correlationId}) and the
 * event that directly caused it ({@code causationId}). Cores keep causes in their own state (a
 * deployment remembers the event that last changed it), so rebuild and replay restore them with the
 * rest of the state and no shell keeps cause maps.
 */
public record Cause(String correlationId, String causationId) {

    /** {@code envelope} as the direct cause: its chain, and itself. */
    public static Cause of(Envelope envelope) {
        return new Cause(envelope.correlationId() != null ? envelope.correlationId() : envelope.id(), envelope.id());
    }

    /** The answer to a command known only by its id (e.g. one that could not be read). */
    public static Cause answering(String commandId) { return new Cause(commandId, null); }

    /** The same chain with {@code eventId} as the direct cause. */
    public Cause through(String eventId) { return new Cause(correlationId, eventId); }

    /**
     * A deterministic envelope id for the {@code index}-th output a core derives from input {@code inputId}:
     * a core that names its outputs can remember them as the cause of later outputs, and deciding the
     * same input again names them the same.
     */
    public static String derivedId(String inputId, int index) {
        return UUID.nameUUIDFromBytes((inputId + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
