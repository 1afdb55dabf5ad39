package dev.berth.bus;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON Schemas of schemas/ (shipped in this jar under {@code schemas/}): {@code envelope.json},
 * {@code common.json} and one {@code <TypeName>.json} per payload type.
 */
public final class Schemas {
    public static final String BASE_URI = "https://berth.dev/schemas/";
    private static volatile Schemas instance;

    private final SchemaRepository repository;

    private Schemas() {
        repository = SchemaRepository.create(new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri(BASE_URI)
                .setOutputFormat(OutputFormat.Basic));
        load("common.json");
        load("envelope.json");
        load("DeadLetter.json");
        for (var type : Payloads.ALL) load(type.getSimpleName() + ".json");
    }

    public static Schemas instance() {
        if (instance == null) {
            synchronized (Schemas.class) {
                if (instance == null) instance = new Schemas();
            }
        }
        return instance;
    }

    /** Raw schema text from the classpath, e.g. {@code schemas/ApplyDeployment.json}. */
    public static String text(String file) {
        try (InputStream in = Schemas.class.getResourceAsStream("/schemas/" + file)) {
            if (in == null) throw new IllegalStateException("no schema schemas/" + file + " on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load(String file) {
        repository.dereference(BASE_URI + file, JsonSchema.of(new JsonObject(text(file))));
    }

    /** Problems of a document against one schema file; empty when valid. */
    public List<String> problems(String schemaFile, Object document) {
        OutputUnit result = repository.validator(BASE_URI + schemaFile).validate(document);
        List<String> problems = new ArrayList<>();
        if (Boolean.TRUE.equals(result.getValid())) return problems;
        if (result.getErrors() != null) {
            for (OutputUnit e : result.getErrors()) {
                String where = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().replaceFirst("^#", "");
                // The validator also reports every ancestor of a bad field; the leaf says what is wrong.
                if (e.getError() != null && e.getError().contains("does not match additional properties schema")
                        && result.getErrors().size() > 1) continue;
                problems.add((where.isEmpty() ? "/" : where) + ": " + e.getError());
            }
        }
        if (problems.isEmpty()) problems.add("/: " + result.getError());
        return problems;
    }

    /** Validates an envelope tree and its payload; throws with every problem found. */
    public void check(JsonNode envelope) throws BadRecordException {
        JsonObject doc = new JsonObject(envelope.toString());
        List<String> problems = problems("envelope.json", doc);
        String typeName = envelope.path("type").asText(null);
        if (!problems.isEmpty()) {
            throw new BadRecordException("not a valid Berth envelope", problems, typeName);
        }
        if (Payloads.byName(typeName) == null) {
            throw new BadRecordException("unknown type '" + typeName + "'; known types: " + knownTypes(),
                    List.of("/type: unknown"), typeName);
        }
        List<String> dataProblems = new ArrayList<>();
        for (String p : problems(typeName + ".json", doc.getValue("data"))) dataProblems.add("/data" + (p.startsWith("/:") ? p.substring(1) : p));
        if (!dataProblems.isEmpty()) {
            throw new BadRecordException(typeName + " does not match its schema", dataProblems, typeName);
        }
    }

    private static String knownTypes() {
        return String.join(", ", Payloads.ALL.stream().map(Class::getSimpleName).sorted().toList());
    }
}
