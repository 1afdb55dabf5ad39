package dev.berth.cli;

import dev.berth.bus.BusConfig;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import dev.berth.node.NodeAgentOptions;
import dev.berth.node.NodeAgentVerticle;
import dev.berth.scheduler.SchedulerOptions;
import dev.berth.scheduler.SchedulerVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one Berth service as its own process, the way production (compose, Kubernetes) runs them. */
@Command(name = "run", description = "Run one service in this process: controller, scheduler, autoscaler or node-agent.")
final class ServiceCommand implements Callable<Integer> {

    @Mixin ClusterOptions cluster;

    @Parameters(index = "0", description = "controller | scheduler | autoscaler | node-agent")
    String service;

    @Option(names = "--node", description = "node name (node-agent; default: the host name)")
    String node;

    @Option(names = "--state-dir", description = "node-agent state (runc, bundles, logs); default $BERTH_HOME/nodes/NODE")
    Path stateDir;

    @Option(names = "--extended-resource", paramLabel = "NAME=COUNT",
            description = "an extended resource this node advertises, e.g. nvidia.com/gpu=2 (node-agent; repeatable)")
    java.util.List<String> extendedResources;

    @Option(names = "--cni-conf-dir", paramLabel = "DIR",
            description = "node-agent: CNI config directory (e.g. /etc/cni/net.d); default: generated from the node's pod CIDR")
    Path cniConfDir;

    @Option(names = "--cni-bin-dir", paramLabel = "DIR", split = ":",
            description = "node-agent: where CNI plugins are looked up (colon-separated); default /usr/lib/cni:/opt/cni/bin")
    java.util.List<Path> cniBinDir;

    @Override
    public Integer call() throws Exception {
        BusConfig bus = cluster.bus();
        java.util.Map<String, Long> extended = NodeAgentOptions.extendedResources(extendedResources); // checked before anything starts
        Deployable verticle = switch (service) {
            case "controller" -> new ControllerVerticle(bus, ControllerOptions.defaults());
            case "scheduler" -> new SchedulerVerticle(bus, SchedulerOptions.fromEnvironment(System.getenv()));
            case "autoscaler" -> new dev.berth.autoscaler.AutoscalerVerticle(bus, dev.berth.autoscaler.AutoscalerOptions.defaults());
            case "node-agent", "node" -> {
                // Host names are case-insensitive; node names are DNS-1123 subdomains (lower case), as in Kubernetes.
                String name = node != null ? node : java.net.InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
                Path dir = stateDir != null ? stateDir : BusConfig.home().resolve("nodes").resolve(name);
                yield new NodeAgentVerticle(bus, NodeAgentOptions.local(name, dir, BusConfig.home().resolve("images"))
                        .withExtendedResources(extended), NodeAgentVerticle.RUNC, dev.berth.node.PodNetworkSetup.cni(cniConfDir, cniBinDir));
            }
            default -> throw new IllegalArgumentException("unknown service '" + service + "': controller, scheduler or node-agent");
        };
        Vertx vertx = Vertx.vertx();
        String id = vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        System.out.println(service + " running against " + bus.bootstrapServers() + " (Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Best effort on the way out.
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
