package dev.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Exercises the real broker end to end; also the canary for Kafka internal API changes on upgrade. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTest {

  @Test
  void producesConsumesInAGroupAndCommitsTransactions() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary()) {
      assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
      createTopic(kafka, "plain");
      createTopic(kafka, "tx");

      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
        for (int i = 0; i < 10; i++) producer.send(new ProducerRecord<>("plain", "k" + i, "v" + i)).get();
      }
      // A consumer group proves the group coordinator (__consumer_offsets, RF 1) works.
      assertThat(consume(kafka, "plain", "read_uncommitted", 10)).containsExactly(
          "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");

      Properties tx = producerProps(kafka);
      tx.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-tx");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(tx)) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("tx", "a", "committed-1"));
        producer.send(new ProducerRecord<>("tx", "b", "committed-2"));
        producer.commitTransaction();
      }
      assertThat(consume(kafka, "tx", "read_committed", 2)).containsExactly("committed-1", "committed-2");
    }
  }

  @Test
  void restartOnSameDataDirKeepsRecords(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      createTopic(kafka, "durable");
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(kafka))) {
        producer.send(new ProducerRecord<>("durable", "k", "survives-restart")).get();
      }
    }
    assertThat(Files.exists(dir.resolve("meta.properties"))).isTrue();
    // New free ports on restart: the data must not depend on them.
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
      assertThat(consume(kafka, "durable", "read_committed", 1)).containsExactly("survives-restart");
    }
  }

  private static void createTopic(EmbeddedKafka kafka, String name) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Properties producerProps(EmbeddedKafka kafka) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return p;
  }

  /** Reads {@code expected} values through a consumer group, from the earliest offset. */
  private static List<String> consume(EmbeddedKafka kafka, String topic, String isolation, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "group-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) values.add(r.value());
      }
      consumer.commitSync();
    }
    return values;
  }
}
