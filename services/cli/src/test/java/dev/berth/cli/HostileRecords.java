package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.Samples;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Payload;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Records no Berth service may accept, for the fuzz test: garbage bytes, truncated JSON, wrong types,
 * missing required fields, oversized values, names no DNS label allows (odd unicode, paths), forged
 * envelope ids, and well-formed payloads on a topic that does not carry them. Every record this
 * makes is invalid by construction, so each must be set aside (or, on berth.commands, answered by a
 * rejection) — never acted upon, never fatal.
 */
final class HostileRecords {
    enum Kind { GARBAGE, TRUNCATED, WRONG_TYPE, MISSING_FIELD, HUGE, ODD_NAME, FORGED_ID, WRONG_TOPIC }

    record Hostile(Topic topic, String key, String value, Kind kind) {}

    /** Payload types by the topic that carries them, with the fields a record of the type cannot do without. */
    private static final Map<Topic, List<Sample>> SAMPLES = Map.of(
            Topic.COMMANDS, List.of(sample("ApplyDeployment", "deployment"), sample("ScaleDeployment", "name", "replicas"),
                    sample("DeleteDeployment", "name"), sample("CordonNode", "node"), sample("DrainNode", "node")),
            Topic.PODS, List.of(sample("PodCreated", "pod", "deployment", "template"), sample("PodDeletionRequested", "pod"),
                    sample("PodLost", "pod", "node")),
            Topic.NODES, List.of(sample("NodeStatusChanged", "node", "condition")),
            Topic.PLACEMENTS, List.of(sample("PodPlaced", "pod", "node", "template"), sample("PodReleased", "pod", "node")),
            Topic.NODE_HEARTBEATS, List.of(sample("NodeHeartbeat", "node", "capacity")),
            Topic.POD_STATUS, List.of(sample("PodStatusChanged", "pod", "node", "state")),
            Topic.DEPLOYMENTS, List.of(sample("DeploymentApplied", "deployment"), sample("DeploymentScaled", "name")),
            Topic.SCHEDULING, List.of(sample("PodUnschedulable", "pod", "message")));

    /** Where each payload's own name sits, for names neither a DNS label (pods) nor a DNS subdomain (nodes) allows. */
    private static final Map<String, String> NAME_FIELD = Map.ofEntries(
            Map.entry("ScaleDeployment", "name"), Map.entry("DeleteDeployment", "name"), Map.entry("CordonNode", "node"),
            Map.entry("DrainNode", "node"), Map.entry("PodCreated", "pod"), Map.entry("PodDeletionRequested", "pod"),
            Map.entry("PodLost", "pod"), Map.entry("NodeStatusChanged", "node"), Map.entry("PodPlaced", "pod"),
            Map.entry("PodReleased", "pod"), Map.entry("NodeHeartbeat", "node"), Map.entry("PodStatusChanged", "pod"),
            Map.entry("DeploymentScaled", "name"), Map.entry("PodUnschedulable", "pod"));

    private static final List<String> ODD_NAMES = List.of("../../etc/passwd", "/etc/shadow", "pod\u0000nul", "Web",
            "pod\u202Egnp.exe", "p\u00f6d", "\ud83d\udea2-berth", "-dash", "a".repeat(254), " ", "", "pod/../..",
            "pod\nnewline");

    private record Sample(String type, List<String> required) {}

    private static Sample sample(String type, String... required) { return new Sample(type, List.of(required)); }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Random random;
    private final int hugeBytes;

    HostileRecords(long seed, int hugeBytes) {
        this.random = new Random(seed);
        this.hugeBytes = hugeBytes;
    }

    static List<Topic> topics() { return List.copyOf(SAMPLES.keySet()); }

    Hostile next(Topic topic, Kind kind) {
        Sample sample = pick(SAMPLES.get(topic));
        ObjectNode env = envelope(sample.type());
        ObjectNode data = (ObjectNode) env.get("data");
        String key = keyOf(data);
        return switch (kind) {
            case GARBAGE -> new Hostile(topic, key, garbage(), kind);
            case TRUNCATED -> {
                String whole = env.toString();
                yield new Hostile(topic, key, whole.substring(0, 1 + random.nextInt(whole.length() - 2)), kind);
            }
            case WRONG_TYPE -> {
                String field = pick(sample.required());
                JsonNode was = data.get(field);
                // An object where a scalar belongs, a string where an object or list belongs: no coercion saves either.
                if (was != null && (was.isObject() || was.isArray())) data.put(field, "not-a-" + (was.isObject() ? "object" : "list"));
                else data.putObject(field).put("wrong", true);
                yield new Hostile(topic, key, env.toString(), kind);
            }
            case MISSING_FIELD -> {
                if (random.nextInt(4) == 0) env.remove(pick(List.of("type", "data")));
                else data.remove(pick(sample.required()));
                yield new Hostile(topic, key, env.toString(), kind);
            }
            case HUGE -> {
                String field = NAME_FIELD.getOrDefault(sample.type(), pick(sample.required()));
                data.put(field, "x".repeat(hugeBytes));
                yield new Hostile(topic, key, env.toString(), kind);
            }
            case ODD_NAME -> {
                String field = NAME_FIELD.get(sample.type());
                if (field == null) { // ApplyDeployment, DeploymentApplied: the name is in the deployment spec
                    ((ObjectNode) data.get("deployment")).put("name", pick(ODD_NAMES));
                } else {
                    data.put(field, pick(ODD_NAMES));
                }
                yield new Hostile(topic, key, env.toString(), kind);
            }
            case FORGED_ID -> {
                env.put("id", random.nextBoolean() ? "f".repeat(10_000) : "forged\u0000id\n" + random.nextInt());
                yield new Hostile(topic, key, env.toString(), kind);
            }
            case WRONG_TOPIC -> {
                Topic other = pick(topics().stream().filter(t -> t != topic).toList());
                ObjectNode foreign = envelope(pick(SAMPLES.get(other)).type());
                yield new Hostile(topic, keyOf((ObjectNode) foreign.get("data")), foreign.toString(), kind);
            }
        };
    }

    /** A well-formed envelope of the sample payload of {@code type}, as JSON to mutate. */
    private ObjectNode envelope(String type) {
        Payload payload = samplePayload(type);
        Envelope env = Envelope.spontaneous(payload, "fuzzer", Instant.now());
        try {
            return (ObjectNode) MAPPER.readTree(Json.encode(env));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Payload samplePayload(String type) {
        try {
            @SuppressWarnings("unchecked")
            Class<? extends Payload> cls = (Class<? extends Payload>) Class.forName("dev.berth.bus.contract." + type);
            return Samples.of(cls);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private String garbage() {
        byte[] bytes = new byte[1 + random.nextInt(512)];
        random.nextBytes(bytes);
        bytes[0] = (byte) (random.nextBoolean() ? '{' : 0x80); // starts like JSON or like nothing
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String keyOf(ObjectNode data) {
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (List.of("pod", "node", "name").contains(f) && data.get(f).isTextual()) return data.get(f).asText();
        }
        return "fuzz";
    }

    Kind kind() { return Kind.values()[random.nextInt(Kind.values().length)]; }

    <T> T pick(List<T> from) { return from.get(random.nextInt(from.size())); }

    /** All kinds on all topics once, then random ones: every class of bad record is sent at least once. */
    List<Hostile> everyKindOnce() {
        List<Hostile> all = new ArrayList<>();
        for (Topic t : topics()) for (Kind k : Kind.values()) all.add(next(t, k));
        return all;
    }
}
