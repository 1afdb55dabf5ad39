package dev.berth.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads what {@code berth apply -f} and {@code berth delete -f} are given, as kubectl does: a file
 * holding one or more YAML documents (or JSON), a directory (its {@code .yaml}, {@code .yml} and
 * {@code .json} files in name order, not recursively), or {@code -} for standard input. A
 * {@code kind: List} is read as its items. Each object comes back on its own, with where it came
 * from, so one bad document is reported by name while the others still apply.
 */
final class ManifestReader {
    private ManifestReader() {}

    /** Bounds of our own: manifests are written by people; a 10,000-object file is a mistake or an attack. */
    static final long MAX_FILE_BYTES = 8L << 20;
    static final int MAX_OBJECTS = 1000;
    static final int MAX_FILES = 1000;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One object of a manifest, or why the document holding it could not be read. */
    record Item(String source, JsonNode object, String problem) {
        String kind() { return object == null ? "" : object.path("kind").asText(""); }

        String apiVersion() { return object == null ? "" : object.path("apiVersion").asText(""); }

        String name() { return object == null ? "" : object.path("metadata").path("name").asText(""); }

        /** kubectl's way of naming it: {@code deployment.apps/web}, {@code service/frontend}. */
        String ref() {
            String group = apiVersion().contains("/") ? "." + apiVersion().substring(0, apiVersion().indexOf('/')) : "";
            return kind().toLowerCase(Locale.ROOT) + group + "/" + (name().isEmpty() ? "<unnamed>" : name());
        }
    }

    static class InvalidInput extends Exception {
        InvalidInput(String message) { super(message); }
    }

    /** Reads {@code location} ({@code -} is {@code stdin}). */
    static List<Item> read(String location, InputStream stdin) throws InvalidInput {
        List<Item> items = new ArrayList<>();
        if (location.equals("-")) {
            readText("<stdin>", readBounded(stdin), items);
            return items;
        }
        Path path = Path.of(location);
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> listing = Files.list(path)) {
                files = listing.filter(Files::isRegularFile).filter(ManifestReader::isManifest).sorted().limit(MAX_FILES + 1L).toList();
            } catch (IOException e) {
                throw new InvalidInput("cannot list " + location + ": " + e.getMessage());
            }
            if (files.size() > MAX_FILES) throw new InvalidInput(location + ": more than " + MAX_FILES + " manifest files");
            if (files.isEmpty()) throw new InvalidInput("error reading " + location + ": no .yaml, .yml or .json files in it");
            for (Path f : files) readFile(f, items);
        } else if (Files.isRegularFile(path)) {
            readFile(path, items);
        } else {
            throw new InvalidInput("the path \"" + location + "\" does not exist");
        }
        if (items.isEmpty()) throw new InvalidInput("no objects passed to apply");
        return items;
    }

    private static boolean isManifest(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
    }

    private static void readFile(Path file, List<Item> items) throws InvalidInput {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                items.add(new Item(file.toString(), null, "file is " + size + " bytes; at most " + MAX_FILE_BYTES + " are read"));
                return;
            }
            readText(file.toString(), Files.readString(file), items);
        } catch (IOException e) {
            items.add(new Item(file.toString(), null, "cannot read: " + e.getMessage()));
        }
    }

    private static String readBounded(InputStream in) throws InvalidInput {
        try {
            byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) throw new InvalidInput("standard input: more than " + MAX_FILE_BYTES + " bytes");
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInput("cannot read standard input: " + e.getMessage());
        }
    }

    /** Every document of one text; a YAML syntax error ends this text's documents (as in kubectl), not the others'. */
    private static void readText(String source, String text, List<Item> items) throws InvalidInput {
        int document = 0;
        // A parser of our own rather than readValues, which would unwrap a top-level sequence into "documents".
        try (JsonParser docs = YAML.getFactory().createParser(text)) {
            while (docs.nextToken() != null) {
                JsonNode doc = YAML.readTree(docs);
                document++;
                if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isObject() && doc.isEmpty())) continue;
                String where = source + (document > 1 ? " (document " + document + ")" : "");
                if (!doc.isObject()) {
                    items.add(new Item(where, null, "expected an object with apiVersion and kind"));
                } else if (doc.path("kind").asText("").equals("List") || doc.path("kind").asText("").endsWith("List") && doc.has("items")) {
                    JsonNode list = doc.path("items");
                    for (int i = 0; i < list.size(); i++) add(items, where + " items[" + i + "]", list.get(i));
                } else {
                    add(items, where, doc);
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            items.add(new Item(source + (document > 0 ? " (document " + (document + 1) + ")" : ""), null,
                    "not valid YAML: " + excerpt(String.valueOf(why))));
        } catch (IOException e) {
            items.add(new Item(source, null, "cannot read: " + e.getMessage()));
        }
    }

    private static void add(List<Item> items, String where, JsonNode object) throws InvalidInput {
        if (items.size() >= MAX_OBJECTS) throw new InvalidInput("more than " + MAX_OBJECTS + " objects given at once");
        if (!object.isObject()) {
            items.add(new Item(where, null, "expected an object with apiVersion and kind"));
        } else if (object.path("kind").asText("").isEmpty() || object.path("apiVersion").asText("").isEmpty()) {
            items.add(new Item(where, object, "apiVersion and kind are required"));
        } else {
            items.add(new Item(where, object, null));
        }
    }

    private static String excerpt(String s) { return s.length() <= 300 ? s : s.substring(0, 297) + "..."; }
}
