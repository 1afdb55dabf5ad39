package dev.berth.cli;

import dev.berth.bus.BusConfig;
import dev.berth.bus.contract.ContainerImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth image load|ls|rm|prune}: the nodes' images. {@code ls} reads what the nodes' heartbeats
 * report (any cluster); {@code load}, {@code rm} and {@code prune} go to the local stack's node agents
 * through {@code berth up}'s control endpoint, so each agent changes its own store.
 */
@Command(name = "image", description = "Load, list and remove the nodes' container images.",
        subcommands = {ImageCommand.Load.class, ImageCommand.Ls.class, ImageCommand.Rm.class, ImageCommand.Prune.class})
final class ImageCommand {

    @Command(name = "load", description = "Load a `docker save` archive, an OCI archive or an OCI image layout directory "
            + "into every node of the local stack (as `docker load -i` / `kind load image-archive`).")
    static final class Load implements Callable<Integer> {
        @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "the archive or layout directory")
        Path input;

        @Override
        public Integer call() throws Exception {
            if (!Files.exists(input)) throw new IllegalArgumentException("no such file: " + input);
            return NodeCommand.post(BusConfig.stateFile(), "/images/load", input.toAbsolutePath().normalize().toString());
        }
    }

    @Command(name = "ls", aliases = "list", description = "List every node's images: reference, digest and size, "
            + "as the nodes' latest heartbeats report them.")
    static final class Ls implements Callable<Integer> {
        @Mixin ClusterOptions cluster;

        @Override
        public Integer call() {
            Instant now = Instant.now();
            System.out.print(table(GetCommand.load(cluster.bus(), now)));
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove an image reference from every node of the local stack whose containers do not use it.")
    static final class Rm implements Callable<Integer> {
        @Parameters(paramLabel = "REF", description = "e.g. busybox, 127.0.0.1:5000/app:v1, app@sha256:…")
        String reference;

        @Override
        public Integer call() throws Exception {
            return NodeCommand.post(BusConfig.stateFile(), "/images/rm", reference);
        }
    }

    @Command(name = "prune", description = "Remove every image no container uses from the nodes of the local stack.")
    static final class Prune implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            return NodeCommand.post(BusConfig.stateFile(), "/images/prune", "");
        }
    }

    static String table(ClusterView view) {
        Table t = new Table("NODE", "IMAGE", "DIGEST", "SIZE");
        for (ClusterView.NodeRow n : view.nodes()) {
            for (ContainerImage i : n.images) {
                String reference = i.names().isEmpty() ? "<none>" : i.names().get(0);
                String digest = i.names().stream().filter(s -> s.contains("@sha256:")).findFirst()
                        .map(s -> s.substring(s.indexOf('@') + 1)).orElse("<none>");
                t.row(n.name, reference, digest, size(i.sizeBytes()));
            }
        }
        return t.render();
    }

    /** As docker prints sizes: decimal units. */
    static String size(long bytes) {
        if (bytes < 1000) return bytes + "B";
        if (bytes < 1000_000) return String.format(java.util.Locale.ROOT, "%.1fkB", bytes / 1e3);
        if (bytes < 1000_000_000) return String.format(java.util.Locale.ROOT, "%.1fMB", bytes / 1e6);
        return String.format(java.util.Locale.ROOT, "%.2fGB", bytes / 1e9);
    }
}
