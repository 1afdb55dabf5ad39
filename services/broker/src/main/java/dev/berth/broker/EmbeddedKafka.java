package dev.berth.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker+controller) running in this JVM.
 *
 * <p>This is the ONLY class that touches Kafka's internal server classes ({@code kafka.server.*},
 * {@code kafka.tools.StorageTool}): they are not a public API and change between releases, so they
 * stay behind this small facade and {@code EmbeddedKafkaTest} catches breakage on upgrade.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final String PROBE_TOPIC = "__berth_ready_probe";

  /** The broker's own principal: the only super-user, used between its broker and controller parts and to create topics, credentials and ACLs. */
  public static final String SUPER_USER = "berth-broker";

  private final KafkaRaftServer server;
  private final int port;
  private final Path dataDir;
  private final boolean deleteOnClose;
  /** Null without authentication; else the super-user's password (fresh per start, never on disk) and its listener's port. */
  private final String superUserPassword;
  private final int superUserPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedKafka(KafkaRaftServer server, int port, Path dataDir, boolean deleteOnClose, String superUserPassword, int superUserPort) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
    this.superUserPassword = superUserPassword;
    this.superUserPort = superUserPort;
  }

  /** Starts a broker whose log lives in {@code dataDir} (reused if already formatted); port 0 = any free port. */
  public static EmbeddedKafka start(Path dataDir, int port) {
    return start(dataDir, port, false, false, Map.of());
  }

  /**
   * Like {@link #start(Path, int)}; {@code authenticated}: clients must log in with SCRAM-SHA-512 and
   * Kafka's StandardAuthorizer allows only what ACLs grant (nothing, until {@link #superUserClient()}
   * creates credentials and ACLs). docs/security.md.
   */
  public static EmbeddedKafka start(Path dataDir, int port, boolean authenticated) {
    return start(dataDir, port, false, authenticated, Map.of());
  }

  /**
   * Authenticated, and the client listener also takes SASL/PLAIN for {@code plainUsers} (name → password,
   * fixed for this start): librdkafka before 2.6.1 (kcat, confluent-kafka-python as Debian ships them)
   * fails SCRAM against Kafka 4 brokers, PLAIN works. The passwords stay in this process's memory.
   */
  public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> plainUsers) {
    return start(dataDir, port, false, true, plainUsers);
  }

  /** Starts a broker in a fresh temp dir on a free port; the dir is deleted on close. */
  public static EmbeddedKafka startTemporary() {
    return startTemporary(false);
  }

  /** A temporary broker, with SCRAM authentication and ACLs when {@code authenticated}. */
  public static EmbeddedKafka startTemporary(boolean authenticated) {
    try {
      return start(Files.createTempDirectory("berth-kafka-"), 0, true, authenticated, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static EmbeddedKafka start(Path dataDir, int port, boolean deleteOnClose, boolean authenticated, Map<String, String> plainUsers) {
    long t0 = System.nanoTime();
    int[] ports = freePorts(port);
    Path dir = dataDir.toAbsolutePath();
    String password = authenticated ? secret() : null;
    Properties props = serverProperties(dir, ports[0], ports[1]);
    if (authenticated) secure(props, ports[0], ports[1], ports[2], password, plainUsers);
    try {
      Files.createDirectories(dir);
      format(props, clusterId(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    EmbeddedKafka kafka = new EmbeddedKafka(server, ports[0], dir, deleteOnClose, password, ports[2]);
    try {
      server.startup();
      kafka.awaitReady(READY_TIMEOUT);
    } catch (RuntimeException e) {
      kafka.close();
      throw e;
    }
    log.info("Kafka broker ready at {}{} (data {}) in {} ms",
        kafka.bootstrapServers(), authenticated ? " (SASL/SCRAM-SHA-512, ACLs)" : "", dir, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    return kafka;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Whether clients must authenticate (SCRAM-SHA-512) and are authorized by ACLs. */
  public boolean authenticated() {
    return superUserPassword != null;
  }

  /** Where the super-user connects: its own listener (SASL/PLAIN, known only to this process); the client listener without authentication. */
  public String superUserBootstrap() {
    return authenticated() ? "127.0.0.1:" + superUserPort : bootstrapServers();
  }

  /** Client properties of the super-user (on {@link #superUserBootstrap()}): for topics, credentials and ACLs only; empty without authentication. */
  public Map<String, String> superUserClient() {
    if (!authenticated()) return Map.of();
    return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config", plainLogin(superUserPassword));
  }

  /**
   * Blocks until the broker really serves: a TCP connect succeeds seconds before that, so we need
   * a metadata answer plus a create/delete topic round trip through the controller.
   */
  public void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> conf = new java.util.HashMap<>(superUserClient());
    conf.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, superUserBootstrap());
    conf.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    conf.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    Exception last = null;
    try (Admin admin = Admin.create(conf)) {
      while (System.nanoTime() < deadline) {
        try {
          if (!admin.describeCluster().nodes().get().isEmpty()) {
            try {
              admin.createTopics(List.of(new NewTopic(PROBE_TOPIC, 1, (short) 1))).all().get();
            } catch (ExecutionException e) {
              if (!(e.getCause() instanceof TopicExistsException)) throw e; // left over by a crash
            }
            admin.deleteTopics(List.of(PROBE_TOPIC)).all().get();
            return;
          }
        } catch (ExecutionException e) {
          last = e;
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for Kafka", e);
    }
    throw new IllegalStateException("Kafka at " + bootstrapServers() + " not ready after " + timeout, last);
  }

  /** Stops the broker (idempotent); deletes the data dir if it was temporary. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) return;
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) deleteRecursively(dataDir);
  }

  /** Runs a broker as its own process: {@code --port N --dir PATH}; prints the bootstrap address, then blocks. */
  public static void main(String[] args) throws InterruptedException {
    int port = 9092;
    Path dir = Path.of("berth-kafka-data");
    String usage = "usage: EmbeddedKafka --port N --dir PATH";
    if (args.length % 2 != 0) throw new IllegalArgumentException(usage);
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--dir" -> dir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException(usage);
      }
    }
    EmbeddedKafka kafka = start(dir, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      kafka.close();
      stopped.countDown();
    }, "berth-kafka-shutdown"));
    System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
    stopped.await();
  }

  private static Properties serverProperties(Path dir, int port, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.toString());
    // One node: every internal topic must have replication factor / min ISR 1, or group joins
    // and transactions hang silently.
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Few internal partitions: the default 50 makes the first group join / transaction slow.
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    // Keep it light on a small shared machine.
    p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024)); // default allocates 128 MB heap
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("num.recovery.threads.per.data.dir", "1");
    p.put("background.threads", "2");
    return p;
  }

  /**
   * Three listeners, all SASL: clients' (SCRAM-SHA-512 only: credentials live in the cluster metadata,
   * created by the super-user), and the broker's own and the controller's (PLAIN with the one user this
   * process defines, so the super-user's login needs no credential in the metadata it is about to
   * create). The StandardAuthorizer allows nothing an ACL does not grant, except to the super-user.
   */
  private static void secure(Properties p, int port, int controllerPort, int brokerPort, String password, Map<String, String> plainUsers) {
    p.put("listeners", "CLIENT://127.0.0.1:" + port + ",BROKER://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "CLIENT://127.0.0.1:" + port + ",BROKER://127.0.0.1:" + brokerPort);
    p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    p.put("inter.broker.listener.name", "BROKER");
    p.put("listener.name.client.sasl.enabled.mechanisms", plainUsers.isEmpty() ? "SCRAM-SHA-512" : "SCRAM-SHA-512,PLAIN");
    p.put("listener.name.client.scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    if (!plainUsers.isEmpty()) {
      StringBuilder users = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
      plainUsers.forEach((user, pw) -> {
        if (user.equals(SUPER_USER) || !user.matches("[A-Za-z0-9._-]+") || !pw.matches("[A-Za-z0-9_-]+")) {
          throw new IllegalArgumentException("not a PLAIN user for the client listener: " + user);
        }
        users.append(" user_").append(user).append("=\"").append(pw).append('"');
      });
      p.put("listener.name.client.plain.sasl.jaas.config", users.append(';').toString());
    }
    p.put("listener.name.broker.sasl.enabled.mechanisms", "PLAIN");
    p.put("listener.name.broker.plain.sasl.jaas.config", plainLogin(password, true));
    p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    p.put("listener.name.controller.plain.sasl.jaas.config", plainLogin(password, true));
    p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + SUPER_USER);
    p.put("allow.everyone.if.no.acl.found", "false");
  }

  private static String plainLogin(String password) {
    return plainLogin(password, false);
  }

  /** The super-user's PLAIN login; on the broker's side also the one user its listeners accept. */
  private static String plainLogin(String password, boolean serverSide) {
    return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + SUPER_USER + "\" password=\"" + password + "\""
        + (serverSide ? " user_" + SUPER_USER + "=\"" + password + "\"" : "") + ";";
  }

  private static String secret() {
    byte[] b = new byte[24];
    new java.security.SecureRandom().nextBytes(b);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * The cluster id already in {@code dir}, or a new one: --ignore-formatted still fails when the id
   * passed differs from the one in meta.properties, so a restart must pass the old one.
   */
  private static String clusterId(Path dir) throws IOException {
    Path meta = dir.resolve("meta.properties");
    if (Files.exists(meta)) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(meta)) {
        p.load(in);
      }
      String id = p.getProperty("cluster.id");
      if (id != null) return id;
    }
    return Uuid.randomUuid().toString();
  }

  /** Formats the log dir via StorageTool.execute (main would System.exit); an already formatted dir is kept. */
  private static void format(Properties props, String clusterId) throws IOException {
    Path conf = Files.createTempFile("berth-kafka-", ".properties");
    try {
      try (OutputStream out = Files.newOutputStream(conf)) {
        props.store(out, "berth embedded kafka");
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      int rc = StorageTool.execute(new String[] {"format", "-t", clusterId,
          "-c", conf.toString(), "--ignore-formatted"}, new PrintStream(buf, true, StandardCharsets.UTF_8));
      String output = buf.toString(StandardCharsets.UTF_8).trim();
      if (rc != 0) throw new IllegalStateException("kafka storage format failed (" + rc + "): " + output);
      log.debug("storage format: {}", output);
    } finally {
      Files.deleteIfExists(conf);
    }
  }

  /** [client port, controller port, super-user's port]; the sockets are held open together so they differ. */
  private static int[] freePorts(int port) {
    try {
      InetAddress lo = InetAddress.getByName("127.0.0.1");
      try (ServerSocket a = new ServerSocket(port, 1, lo); ServerSocket b = new ServerSocket(0, 1, lo); ServerSocket c = new ServerSocket(0, 1, lo)) {
        return new int[] {a.getLocalPort(), b.getLocalPort(), c.getLocalPort()};
      }
    } catch (IOException e) {
      throw new UncheckedIOException("no free port (requested " + port + ")", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("could not delete {}", dir, e);
    }
  }
}
