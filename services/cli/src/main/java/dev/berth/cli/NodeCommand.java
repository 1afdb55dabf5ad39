package dev.berth.cli;

import dev.berth.bus.BusConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code berth node stop|start NAME}: simulate a node failure in the local stack ({@code berth up}). */
@Command(name = "node", description = "Stop or start a node agent of the local stack (`berth up`) to simulate a node failure.",
        subcommands = {NodeCommand.Stop.class, NodeCommand.Start.class})
final class NodeCommand {

    @Command(name = "stop", description = "Stop NAME's agent like a crashed kubelet: heartbeats and placement processing end, "
            + "its containers keep running.")
    static final class Stop implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "node name, e.g. node-2")
        String node;

        @Override
        public Integer call() throws Exception {
            return send(BusConfig.stateFile(), node, "stop");
        }
    }

    @Command(name = "start", description = "Start a fresh agent for NAME: it adopts the containers still placed on it "
            + "and stops those whose pods were released meanwhile.")
    static final class Start implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "node name, e.g. node-2")
        String node;

        @Override
        public Integer call() throws Exception {
            return send(BusConfig.stateFile(), node, "start");
        }
    }

    /** Asks the `berth up` that wrote {@code stateFile} to stop or start a node; prints its answer. */
    static int send(Path stateFile, String node, String action) throws IOException, InterruptedException {
        return post(stateFile, "/nodes/" + node + "/" + action, "");
    }

    /** POSTs {@code body} to the local stack's control endpoint; prints its answer. */
    static int post(Path stateFile, String path, String body) throws IOException, InterruptedException {
        StateFile state = running(stateFile);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + state.controlPort() + path))
                .header("Authorization", "Bearer " + state.controlToken())
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofMinutes(10)).build();
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the local stack's control endpoint: is `berth up` still running?");
        }
        if (response.statusCode() != 200) throw new IllegalStateException(response.body().strip());
        System.out.print(response.body());
        return 0;
    }

    private static StateFile running(Path stateFile) {
        StateFile state = StateFile.read(stateFile).orElseThrow(() ->
                new IllegalStateException("no local cluster: start one with `./berth up` (no readable " + stateFile + ")"));
        if (state.controlPort() <= 0) throw new IllegalStateException("the running cluster has no control endpoint (not started by `berth up`?)");
        return state;
    }
}
