package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where history comes from: the live broker, or a file written by {@code berth log export} — so an
 * operator can attach the cluster's log to a bug report and a maintainer can replay it offline.
 */
public interface LogSource {

    /** Calls {@code sink} with every record of {@code topics}, each partition in offset order. */
    void read(Collection<Topic> topics, Consumer<RawRecord> sink);

    /** Decodable envelopes of {@code topics} with their records, folded in time order across partitions. */
    default List<Entry> entries(Collection<Topic> topics) {
        List<RawRecord> raw = new ArrayList<>();
        read(topics, raw::add);
        // Decoding dominates on large logs: spread it over the cores, keep the order.
        return dev.berth.bus.LogOrder.byTime(raw).parallelStream().map(LogSource::decode).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Like {@link #entries}, and keeps the tombstones (null values) of compacted topics as entries without an
     * envelope, in their place in time: a view folding berth.endpoints must drop what a tombstone deletes.
     */
    default List<Entry> entriesWithTombstones(Collection<Topic> topics) {
        List<RawRecord> raw = new ArrayList<>();
        read(topics, raw::add);
        return dev.berth.bus.LogOrder.byTime(raw).parallelStream().map(r -> r.value() == null ? new Entry(r, null) : decode(r))
                .filter(java.util.Objects::nonNull).toList();
    }

    private static Entry decode(RawRecord r) {
        try {
            return new Entry(r, Json.decode(r.value()));
        } catch (BadRecordException ignored) {
            return null; // set aside by the owning consumer; history shows what was understood
        }
    }

    /** A record and its envelope (null for a tombstone, from {@link #entriesWithTombstones} only). */
    record Entry(RawRecord record, Envelope envelope) {}

    static LogSource broker(BusConfig bus) {
        return (topics, sink) -> LogReader.readAll(bus, topics, sink);
    }

    /** The broker's log, each topic read from the time {@code since} gives it (null: from the beginning). */
    static LogSource broker(BusConfig bus, java.util.function.Function<Topic, java.time.Instant> since) {
        return (topics, sink) -> LogReader.readAll(bus, topics, since, sink);
    }

    /** The broker's log up to {@code until} only: time travel need not read what came after. */
    static LogSource brokerUntil(BusConfig bus, java.util.function.Function<Topic, java.time.Instant> since, java.time.Instant until) {
        return (topics, sink) -> LogReader.readAll(bus, topics, since, until, sink);
    }

    /** An export file: a header line, then one JSON object per record (see {@link LogExportCommand}). */
    static LogSource file(Path file) {
        return (topics, sink) -> {
            Set<String> wanted = Set.copyOf(topics.stream().map(Topic::topicName).toList());
            try (BufferedReader in = Files.newBufferedReader(file)) {
                String header = in.readLine();
                if (header == null || !Json.MAPPER.readTree(header).has("berthLog")) {
                    throw new IllegalArgumentException(file + " is not a Berth log export");
                }
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode r = Json.MAPPER.readTree(line);
                    if (!wanted.contains(r.path("topic").asText())) continue;
                    sink.accept(new RawRecord(r.path("topic").asText(), r.path("partition").asInt(), r.path("offset").asLong(),
                            r.path("timestamp").asLong(), r.path("key").isNull() ? null : r.path("key").asText(), r.path("value").asText()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        };
    }
}
