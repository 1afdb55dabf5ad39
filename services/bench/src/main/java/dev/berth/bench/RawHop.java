package dev.berth.bench;

import dev.berth.bus.BusConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The broker's own limit for one service-like step: a plain consumer reads records of a pod
 * event's size and a producer writes each to another topic — acks=all and idempotent, with Berth's
 * client settings ({@link BusConfig}) — pipelined, no decoding, no state, no offsets committed.
 */
final class RawHop {
    static final String IN = "bench.hop-in", OUT = "bench.hop-out", OUT_TX = "bench.hop-out-tx";
    /** As many partitions as berth.pods, the topic the scheduler's placements are driven by. */
    static final int PARTITIONS = 6;
    /** What a PodCreated of the benchmark's pods weighs, for a run that saw none. */
    static final int TYPICAL_POD_CREATED_BYTES = 500;

    /** {@code failure} says why there is no rate. */
    /**
     * @param seconds   the plain hop, from its first polled record until every record written is acknowledged
     * @param txSeconds the same hop with one producer transaction per polled batch, as Berth's services publish
     * @param failure   why there is no rate
     */
    record Result(int records, int recordBytes, double seconds, double txSeconds, String failure) {
        static Result failed(int records, int recordBytes, String why) { return new Result(records, recordBytes, Double.NaN, Double.NaN, why); }

        double perSecond() { return records / seconds; }

        double transactionalPerSecond() { return records / txSeconds; }
    }

    private RawHop() {}

    static Result run(BusConfig bus, int records, int recordBytes, PrintStream progress) throws Exception {
        BenchTopics.createPlain(bus, PARTITIONS, IN, OUT, OUT_TX);
        load(bus, records, filler(recordBytes));
        progress.printf("  %,d records of %d bytes loaded into %s; hopping them to %s, then in transactions to %s%n",
                records, recordBytes, IN, OUT, OUT_TX);
        double plain = hop(bus, records, OUT, false);
        double transactional = hop(bus, records, OUT_TX, true);
        return new Result(records, recordBytes, plain, transactional, null);
    }

    private static void load(BusConfig bus, int records, String value) throws Exception {
        AtomicReference<Exception> failed = new AtomicReference<>();
        Map<String, String> config = bus.producer("berth-bench-hop-loader");
        config.put("delivery.timeout.ms", "60000"); // fail within a minute, not two
        try (KafkaProducer<String, String> loader = new KafkaProducer<>(bus.props(config))) {
            for (int i = 0; i < records; i++) {
                loader.send(new ProducerRecord<>(IN, "pod-" + i, value), (m, e) -> { if (e != null) failed.compareAndSet(null, e); });
            }
        }
        if (failed.get() != null) throw failed.get();
    }

    /** Seconds from the first polled record until every record is written and acknowledged. */
    private static double hop(BusConfig bus, int records, String to, boolean transactions) throws Exception {
        AtomicReference<Exception> failed = new AtomicReference<>();
        Map<String, String> producerConfig = bus.producer("berth-bench-hop-" + to);
        if (transactions) producerConfig.put("transactional.id", "berth-bench-hop");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-bench-hop-" + to)));
             KafkaProducer<String, String> producer = new KafkaProducer<>(bus.props(producerConfig))) {
            if (transactions) producer.initTransactions();
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : consumer.partitionsFor(IN)) partitions.add(new TopicPartition(IN, p.partition()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long start = 0;
            int hopped = 0;
            while (hopped < records) {
                var polled = consumer.poll(Duration.ofMillis(200));
                if (polled.isEmpty()) continue;
                if (start == 0) start = System.nanoTime(); // the clock starts with the first records
                if (transactions) producer.beginTransaction();
                for (ConsumerRecord<String, String> r : polled) {
                    producer.send(new ProducerRecord<>(to, r.key(), r.value()), (m, e) -> { if (e != null) failed.compareAndSet(null, e); });
                    hopped++;
                }
                if (transactions) producer.commitTransaction(); // waits for the batch's records and the commit marker
            }
            producer.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failed.get() != null) throw failed.get();
            return seconds;
        }
    }

    /** A JSON-looking value of exactly {@code bytes} ASCII characters. */
    static String filler(int bytes) {
        String head = "{\"data\":\"";
        String tail = "\"}";
        StringBuilder b = new StringBuilder(head);
        while (b.length() < bytes - tail.length()) b.append((char) ('a' + b.length() % 26));
        return b.append(tail).toString();
    }
}
