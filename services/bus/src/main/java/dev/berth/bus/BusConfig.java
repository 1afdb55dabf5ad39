package dev.berth.bus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the Kafka broker is and how Berth's clients talk to it. The bootstrap address comes from,
 * in order: an explicit flag, {@code BERTH_BOOTSTRAP}, the state file a running {@code berth up}
 * wrote ({@code $BERTH_HOME/cluster.properties}), else {@code 127.0.0.1:9092}.
 */
public record BusConfig(String bootstrapServers) {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    public static BusConfig resolve(String flag) {
        if (flag != null && !flag.isBlank()) return new BusConfig(flag);
        String env = System.getenv("BERTH_BOOTSTRAP");
        if (env != null && !env.isBlank()) return new BusConfig(env);
        return new BusConfig(readStateFile().orElse(DEFAULT_BOOTSTRAP));
    }

    /** {@code $BERTH_HOME}, else {@code ~/.berth}: the local cluster's state and data. */
    public static Path home() {
        String env = System.getenv("BERTH_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".berth");
    }

    public static Path stateFile() { return home().resolve("cluster.properties"); }

    private static Optional<String> readStateFile() {
        Path file = stateFile();
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(p.getProperty("bootstrap.servers"));
    }

    /** An idempotent, acks=all producer: no record lost or doubled by client retries. */
    public Map<String, String> producer(String clientId) {
        Map<String, String> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrapServers);
        c.put("client.id", clientId);
        c.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        c.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        c.put("acks", "all");
        c.put("enable.idempotence", "true");
        c.put("linger.ms", "1");
        c.put("max.block.ms", "10000");
        return c;
    }

    /** A consumer that commits offsets itself (after the records' effects are published). */
    public Map<String, String> consumer(String groupId, String clientId) {
        Map<String, String> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrapServers);
        if (groupId != null) c.put("group.id", groupId);
        c.put("client.id", clientId);
        c.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        c.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        c.put("enable.auto.commit", "false");
        c.put("auto.offset.reset", "earliest");
        c.put("isolation.level", "read_committed");
        c.put("max.poll.records", "2000");
        c.put("fetch.max.wait.ms", "50");
        return c;
    }

    public Properties props(Map<String, String> map) {
        Properties p = new Properties();
        p.putAll(map);
        return p;
    }
}
