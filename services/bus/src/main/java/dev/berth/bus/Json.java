package dev.berth.bus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.berth.bus.contract.Payload;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The JSON codec for envelopes. {@link #decode} trusts the payload (for topics written by Berth
 * services) and reads a record in one streaming pass; {@link #decodeValidated} checks the envelope and
 * payload against their JSON Schemas first (for input from outside, i.e. commands).
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new IsoInstantModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private static final EnvelopeReader ENVELOPE_READER = new EnvelopeReader(MAPPER);
    /** Resolves the envelope serializer once instead of looking it up per record. */
    private static final ObjectWriter ENVELOPE_WRITER = MAPPER.writerFor(Envelope.class);

    public static String encode(Envelope envelope) {
        try {
            return ENVELOPE_WRITER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + envelope.type(), e);
        }
    }

    public static JsonNode toTree(Object value) { return MAPPER.valueToTree(value); }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Envelope decode(String json) throws BadRecordException {
        Envelope envelope = json == null ? null : ENVELOPE_READER.readOrNull(json);
        // The tree path takes what the streaming reader leaves: bad records and odd shapes, answered as always.
        return envelope != null ? envelope : decodeThroughTree(json);
    }

    /** The reference reading of a record (parse to a tree, then bind): what {@link #decode} answers. */
    static Envelope decodeThroughTree(String json) throws BadRecordException {
        return fromTree(parse(json));
    }

    public static Envelope decodeValidated(String json) throws BadRecordException {
        JsonNode tree = parse(json);
        Schemas.instance().check(tree);
        return fromTree(tree);
    }

    public static JsonNode parse(String json) throws BadRecordException {
        if (json == null || json.isBlank()) throw new BadRecordException("empty record: expected a JSON envelope");
        try {
            JsonNode tree = MAPPER.readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new BadRecordException("not a JSON object: expected a Berth envelope {\"type\":..,\"data\":{..}}");
            }
            return tree;
        } catch (IOException e) {
            throw new BadRecordException("not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    private static Envelope fromTree(JsonNode tree) throws BadRecordException {
        String typeName = tree.path("type").asText(null);
        Class<? extends Payload> type = typeName == null ? null : Payloads.byName(typeName);
        if (type == null) {
            throw new BadRecordException("unknown type '" + typeName + "'", List.of("/type: unknown type"), typeName);
        }
        try {
            Payload data = MAPPER.treeToValue(tree.get("data"), type);
            if (data == null) throw new BadRecordException("missing data", List.of("/data: required"), typeName);
            return new Envelope(
                    tree.path("id").asText(),
                    typeName,
                    tree.path("version").asInt(1),
                    tree.hasNonNull("time") ? Instant.parse(tree.get("time").asText()) : Instant.EPOCH,
                    tree.path("source").asText("unknown"),
                    tree.path("correlationId").asText(null),
                    tree.path("causationId").asText(null),
                    data);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new BadRecordException("cannot read " + typeName + ": " + firstLine(e.getMessage()), List.of(), typeName);
        }
    }

    /** A new JSON object node, for building documents in tests and the CLI. */
    public static ObjectNode object() { return MAPPER.createObjectNode(); }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
