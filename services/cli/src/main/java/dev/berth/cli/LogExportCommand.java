package dev.berth.cli;

import dev.berth.bus.Json;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Topic;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "log", description = "Work with the cluster's event log.", subcommands = LogExportCommand.Export.class)
final class LogExportCommand {

    @Command(name = "export", description = "Write a window of every berth topic (with offsets and timestamps) to one file.")
    static final class Export implements Callable<Integer> {
        @Mixin ClusterOptions cluster;

        @Option(names = "--from", description = "start of the window (ISO time or relative like -1h); default: the beginning")
        String from;

        @Option(names = "--to", description = "end of the window; default: now")
        String to;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            Instant now = Instant.now();
            long start = from == null ? Long.MIN_VALUE : Times.parse(from, now).toEpochMilli();
            long end = to == null ? Long.MAX_VALUE : Times.parse(to, now).toEpochMilli();
            long[] written = {0};
            try (BufferedWriter out = Files.newBufferedWriter(file)) {
                out.write(Json.object().put("berthLog", 1).put("exportedAt", now.toString())
                        .put("from", from == null ? null : Instant.ofEpochMilli(start).toString())
                        .put("to", to == null ? now.toString() : Instant.ofEpochMilli(end).toString()).toString());
                out.newLine();
                LogSource.broker(cluster.bus()).read(List.of(Topic.values()), r -> {
                    if (r.timestamp() < start || r.timestamp() > end) return;
                    write(out, r);
                    written[0]++;
                });
            }
            System.out.println("exported " + written[0] + " records to " + file);
            return 0;
        }

        /**
         * The record's value, except that a Secret's values are emptied (its keys stay): an export is a file that leaves
         * the cluster. A record on berth.secrets that does not even decode is left out whole.
         */
        static String withoutSecretValues(RawRecord r) {
            if (r.value() == null) return null;
            boolean secretsTopic = Topic.SECRETS.topicName().equals(r.topic());
            if (!secretsTopic && !r.value().contains("Secret")) return r.value();
            dev.berth.bus.Envelope e;
            try {
                e = Json.decode(r.value());
            } catch (dev.berth.bus.BadRecordException bad) {
                return secretsTopic || r.value().contains("ApplySecret") ? null : r.value();
            }
            dev.berth.bus.contract.Payload redacted;
            if (e.data() instanceof dev.berth.bus.contract.ApplySecret a) redacted = new dev.berth.bus.contract.ApplySecret(a.secret().redacted());
            else if (e.data() instanceof dev.berth.bus.contract.SecretApplied a) redacted = new dev.berth.bus.contract.SecretApplied(a.secret().redacted());
            else return r.value();
            return Json.encode(new dev.berth.bus.Envelope(e.id(), e.type(), e.version(), e.time(), e.source(), e.correlationId(), e.causationId(), redacted));
        }

        private static void write(BufferedWriter out, RawRecord r) {
            try {
                out.write(Json.object().put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset())
                        .put("timestamp", r.timestamp()).put("key", r.key()).put("value", withoutSecretValues(r)).toString());
                out.newLine();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
