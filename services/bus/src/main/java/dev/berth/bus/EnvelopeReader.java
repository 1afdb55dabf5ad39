package dev.berth.bus;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.berth.bus.contract.Payload;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads an envelope in one streaming pass and binds {@code data} straight into the payload type
 * named by {@code type}, with no intermediate tree.
 *
 * <p>It only takes envelopes as Berth writes them: an object whose envelope fields are strings (and
 * {@code version} an int), each at most once. For anything else it answers null and {@link Json#decode}
 * reads the record the old way, through a tree, so that bad input gets exactly the answer it always had
 * and odd but readable input (a null id, a numeric source, a repeated field) the same value.
 */
final class EnvelopeReader {
    private final ObjectMapper mapper;
    /** Per type name; filled lazily so a CLI that reads two types builds two deserializers. */
    private final ConcurrentHashMap<String, ObjectReader> readers = new ConcurrentHashMap<>();

    EnvelopeReader(ObjectMapper mapper) { this.mapper = mapper; }

    /** The envelope, or null when the record is not a plain well-formed envelope of a known type. */
    Envelope readOrNull(String json) {
        try (JsonParser p = mapper.createParser(json)) {
            return read(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Envelope read(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        String id = "", type = null, source = "unknown", correlationId = null, causationId = null, time = null;
        int version = 1;
        Payload data = null;
        TokenBuffer dataBeforeType = null;
        int seen = 0;
        for (JsonToken token = p.nextToken(); token == JsonToken.FIELD_NAME; token = p.nextToken()) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            int bit = fieldBit(field);
            if ((seen & bit) != 0) return null;
            seen |= bit;
            if (bit == DATA) {
                if (type == null) {
                    // Hand-written JSON may name the type last: keep the tokens until it comes.
                    dataBeforeType = TokenBuffer.asCopyOfValue(p);
                    continue;
                }
                data = readPayload(type, p);
                if (data == null) return null;
                continue;
            }
            if (bit == OTHER) {
                p.skipChildren();
                continue;
            }
            if (bit == VERSION) {
                if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) return null;
                version = p.getIntValue();
                continue;
            }
            if (value != JsonToken.VALUE_STRING) return null;
            String text = p.getText();
            switch (bit) {
                case ID: id = text; break;
                case TYPE: type = text; break;
                case TIME: time = text; break;
                case SOURCE: source = text; break;
                case CORRELATION_ID: correlationId = text; break;
                case CAUSATION_ID: causationId = text; break;
                default: throw new IllegalStateException("no envelope field " + field);
            }
        }
        if (type == null) return null;
        if (dataBeforeType != null) {
            try (JsonParser buffered = dataBeforeType.asParser()) {
                data = readPayload(type, buffered);
            }
        }
        if (data == null) return null;
        Instant at = time == null ? Instant.EPOCH : IsoInstants.parse(time);
        return new Envelope(id, type, version, at, source, correlationId, causationId, data);
    }

    /** The payload of the named type, or null for an unknown type or a JSON null. */
    private Payload readPayload(String typeName, JsonParser p) throws IOException {
        ObjectReader reader = readerFor(typeName);
        return reader == null ? null : reader.readValue(p);
    }

    private ObjectReader readerFor(String typeName) {
        ObjectReader reader = readers.get(typeName);
        if (reader != null) return reader;
        Class<? extends Payload> type = Payloads.byName(typeName);
        if (type == null) return null;
        return readers.computeIfAbsent(typeName, name -> mapper.readerFor(type));
    }

    private static final int OTHER = 0, ID = 1, TYPE = 2, VERSION = 4, TIME = 8, SOURCE = 16,
            CORRELATION_ID = 32, CAUSATION_ID = 64, DATA = 128;

    private static int fieldBit(String field) {
        switch (field) {
            case "id": return ID;
            case "type": return TYPE;
            case "version": return VERSION;
            case "time": return TIME;
            case "source": return SOURCE;
            case "correlationId": return CORRELATION_ID;
            case "causationId": return CAUSATION_ID;
            case "data": return DATA;
            default: return OTHER;
        }
    }
}
