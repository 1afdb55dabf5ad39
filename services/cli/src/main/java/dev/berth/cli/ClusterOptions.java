package dev.berth.cli;

import dev.berth.bus.BusConfig;
import picocli.CommandLine.Option;

/** How commands find the cluster: a flag, else BERTH_BOOTSTRAP, else the running `berth up`'s state file. */
public final class ClusterOptions {
    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: $BERTH_BOOTSTRAP or the local `berth up`)")
    String bootstrapServers;

    public BusConfig bus() { return BusConfig.resolve(bootstrapServers); }
}
