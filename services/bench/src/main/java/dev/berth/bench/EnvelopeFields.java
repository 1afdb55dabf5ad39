package dev.berth.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The few envelope fields the benchmark needs — type, correlation id and the payload's top-level
 * scalars (pod, node, state…) — read with a streaming parser that skips templates and scores: the
 * observer shares the machine with the system it measures and must stay cheap.
 */
record EnvelopeFields(String type, String correlationId, Map<String, String> data) {
    private static final JsonFactory JSON = new JsonFactory();

    String get(String field) { return data.get(field); }

    /** Null for anything that is not a JSON object. */
    static EnvelopeFields parse(String json) {
        if (json == null) return null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            String type = null, correlationId = null;
            Map<String, String> data = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "type" -> type = p.getText();
                    case "correlationId" -> correlationId = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "data" -> data = scalars(p);
                    default -> p.skipChildren();
                }
            }
            return new EnvelopeFields(type, correlationId, data);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> scalars(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Map.of();
        }
        Map<String, String> fields = new HashMap<>(8);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value.isScalarValue()) fields.put(field, p.getText());
            else p.skipChildren();
        }
        return fields;
    }
}
