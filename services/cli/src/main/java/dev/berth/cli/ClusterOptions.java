package dev.berth.cli;

import dev.berth.bus.BusConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Option;

/** How commands find the cluster: a flag, else BERTH_BOOTSTRAP, else the running `berth up`'s state file. */
public final class ClusterOptions {
    @Option(names = "--bootstrap-servers", description = "Kafka bootstrap servers (default: $BERTH_BOOTSTRAP or the local `berth up`)")
    String bootstrapServers;

    private static Map<String, String> withTimeouts(Map<String, String> admin) {
        admin.put("request.timeout.ms", "5000");
        admin.put("default.api.timeout.ms", "5000");
        return admin;
    }

    /** The cluster's bus, once its broker answers (a clear error beats a client retrying for a minute). */
    public BusConfig bus() {
        BusConfig bus = BusConfig.resolve(bootstrapServers);
        try (Admin admin = Admin.create(bus.props(withTimeouts(bus.admin())))) {
            admin.describeCluster().nodes().get(6, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach Kafka at " + bus.bootstrapServers()
                    + ": start a cluster with `./berth up`, or point --bootstrap-servers / BERTH_BOOTSTRAP at one");
        }
        return bus;
    }
}
