package dev.berth.cli;

import dev.berth.bus.Topic;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Where every reading command (get, get --at, describe, why, events, replay) takes history from: the
 * cluster's broker, or a file written by {@code berth log export}. Either way records come through
 * one {@link LogSource}, each partition in log order and partitions merged by record time
 * ({@link dev.berth.bus.LogOrder}), so every command folds the same log the same way.
 */
final class HistoryOptions {
    @Option(names = "--from-file", description = "read a file written by `berth log export` instead of the cluster")
    Path fromFile;

    boolean fromFile() { return fromFile != null; }

    /** The whole history. */
    LogSource source(ClusterOptions cluster) {
        return fromFile != null ? LogSource.file(fromFile) : LogSource.broker(cluster.bus());
    }

    /** History from the time {@code since} gives each topic (null: its beginning) up to {@code until} (null: now). */
    LogSource source(ClusterOptions cluster, Function<Topic, Instant> since, Instant until) {
        if (fromFile != null) return LogSource.file(fromFile);
        return until == null ? LogSource.broker(cluster.bus(), since) : LogSource.brokerUntil(cluster.bus(), since, until);
    }
}
