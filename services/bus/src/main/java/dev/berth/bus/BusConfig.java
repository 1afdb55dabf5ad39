package dev.berth.bus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where the Kafka broker is and how Berth's clients talk to it: the bootstrap address and the client
 * properties every producer, consumer and admin client of a service or the CLI gets (security.protocol,
 * sasl.*, ssl.* — standard Kafka client names, so a secured Strimzi, MSK or Confluent cluster works
 * unchanged; docs/security.md).
 *
 * <p>The bootstrap address comes from, in order: an explicit flag, {@code BERTH_BOOTSTRAP}, the client
 * properties' {@code bootstrap.servers}, the state file a running {@code berth up} wrote
 * ({@code $BERTH_HOME/cluster.properties}), else {@code 127.0.0.1:9092}. The client properties come from the
 * file {@code BERTH_CLIENT_CONFIG} names, else {@code $BERTH_HOME/client.properties} (which {@code berth up}
 * writes), then each {@code BERTH_KAFKA_SASL_JAAS_CONFIG}-style variable on top (as Confluent's images:
 * lower case, {@code _} for {@code .}).
 */
public record BusConfig(String bootstrapServers, Map<String, String> client) {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final String CLIENT_FILE = "client.properties";
    public static final String SCRAM = "SCRAM-SHA-512";
    public static final String PLAIN = "PLAIN";
    private static final String ENV_PREFIX = "BERTH_KAFKA_";
    /** librdkafka's (kcat's) credential names; the Java client wants sasl.jaas.config instead. */
    static final String SASL_USERNAME = "sasl.username";
    static final String SASL_PASSWORD = "sasl.password";

    public BusConfig {
        client = client == null ? Map.of() : Map.copyOf(client);
    }

    /** Plain text, no authentication: tests' embedded brokers and an unsecured Kafka. */
    public BusConfig(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    public static BusConfig resolve(String flag) {
        return resolve(flag, System.getenv());
    }

    static BusConfig resolve(String flag, Map<String, String> env) {
        Map<String, String> client = new TreeMap<>(clientFile(env).map(BusConfig::load).orElse(Map.of()));
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                client.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        String fromClient = client.remove("bootstrap.servers");
        String bootstrap;
        if (flag != null && !flag.isBlank()) bootstrap = flag;
        else if (env.get("BERTH_BOOTSTRAP") != null && !env.get("BERTH_BOOTSTRAP").isBlank()) bootstrap = env.get("BERTH_BOOTSTRAP");
        else if (fromClient != null && !fromClient.isBlank()) bootstrap = fromClient;
        else bootstrap = readStateFile(home(env)).orElse(DEFAULT_BOOTSTRAP);
        return new BusConfig(bootstrap, client);
    }

    private static Optional<Path> clientFile(Map<String, String> env) {
        String named = env.get("BERTH_CLIENT_CONFIG");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("BERTH_CLIENT_CONFIG names no file: " + named);
            return Optional.of(p);
        }
        Path own = home(env).resolve(CLIENT_FILE);
        return Files.isRegularFile(own) ? Optional.of(own) : Optional.empty();
    }

    /** A Kafka client properties file as a map (the format kcat -F and kafka-console-producer --command-config read). */
    public static Map<String, String> load(Path file) {
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Kafka client properties " + file, e);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).trim()));
        return m;
    }

    /**
     * The same broker, authenticated as {@code user} with SCRAM-SHA-512 over plain text (the embedded broker's
     * listener). Kept as {@code sasl.username}/{@code sasl.password}, librdkafka's names, so the same settings
     * written to client.properties work for kcat; {@link #admin()} turns them into Java's sasl.jaas.config.
     */
    public BusConfig as(String user, String password) {
        return as(user, password, SCRAM);
    }

    /** Like {@link #as(String, String)} with another SASL mechanism ({@code PLAIN}: what old librdkafka clients can do). */
    public BusConfig as(String user, String password, String mechanism) {
        Map<String, String> c = new HashMap<>(client);
        c.remove("sasl.jaas.config");
        c.put("security.protocol", "SASL_PLAINTEXT");
        c.put("sasl.mechanism", mechanism);
        c.put(SASL_USERNAME, user);
        c.put(SASL_PASSWORD, password);
        return new BusConfig(bootstrapServers, c);
    }

    /** Whether clients authenticate (any SASL or SSL security.protocol). */
    public boolean authenticated() {
        return !client.getOrDefault("security.protocol", "PLAINTEXT").equalsIgnoreCase("PLAINTEXT");
    }

    /** {@code $BERTH_HOME}, else {@code ~/.berth}: the local cluster's state and data. */
    public static Path home() {
        return home(System.getenv());
    }

    private static Path home(Map<String, String> env) {
        String h = env.get("BERTH_HOME");
        return h != null && !h.isBlank() ? Path.of(h) : Path.of(System.getProperty("user.home"), ".berth");
    }

    public static Path stateFile() { return home().resolve("cluster.properties"); }

    private static Optional<String> readStateFile(Path home) {
        Path file = home.resolve("cluster.properties");
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (var in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(p.getProperty("bootstrap.servers"));
    }

    /** What an admin client needs: the address and the client (security) properties. */
    public Map<String, String> admin() {
        Map<String, String> c = new HashMap<>(client);
        c.put("bootstrap.servers", bootstrapServers);
        String mechanism = c.containsKey("sasl.mechanism") ? c.get("sasl.mechanism") : c.remove("sasl.mechanisms"); // librdkafka's alias
        if (mechanism != null) c.put("sasl.mechanism", mechanism);
        String user = c.remove(SASL_USERNAME);
        String password = c.remove(SASL_PASSWORD);
        if (user != null && password != null && !c.containsKey("sasl.jaas.config")) {
            String module = mechanism != null && mechanism.toUpperCase(Locale.ROOT).startsWith("SCRAM-")
                    ? "org.apache.kafka.common.security.scram.ScramLoginModule" : "org.apache.kafka.common.security.plain.PlainLoginModule";
            c.put("sasl.jaas.config", module + " required username=\"" + jaasQuoted(user) + "\" password=\"" + jaasQuoted(password) + "\";");
        }
        return c;
    }

    private static String jaasQuoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** An idempotent, acks=all producer: no record lost or doubled by client retries. */
    public Map<String, String> producer(String clientId) {
        Map<String, String> c = admin();
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
        Map<String, String> c = admin();
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

    /** Hides sasl.jaas.config and every password in logs and toString. */
    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>(client);
        shown.replaceAll((k, v) -> k.contains("jaas") || k.contains("password") ? "[hidden]" : v);
        return "BusConfig[" + bootstrapServers + ", " + shown + "]";
    }
}
