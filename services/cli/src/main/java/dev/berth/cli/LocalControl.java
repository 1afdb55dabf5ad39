package dev.berth.cli;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running {@code berth up}'s control endpoint, so {@code berth node stop|start NAME} in another
 * terminal can reach the local stack: {@code POST /nodes/NAME/stop} and {@code POST /nodes/NAME/start}
 * on 127.0.0.1 at a random port, which {@code berth up} writes to its state file as {@code control.port}.
 * Local-stack plumbing only: the services themselves still talk only through Kafka.
 */
final class LocalControl implements AutoCloseable {
    private static final Pattern NODE_ACTION = Pattern.compile("/nodes/([a-z0-9][-a-z0-9.]*)/(stop|start)");

    private final HttpServer server;

    private LocalControl(HttpServer server) {
        this.server = server;
    }

    static LocalControl start(LocalStack stack) throws Exception {
        HttpServer server = stack.vertx().createHttpServer()
                .requestHandler(request -> handle(stack, request))
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new LocalControl(server);
    }

    int port() {
        return server.actualPort();
    }

    private static void handle(LocalStack stack, HttpServerRequest request) {
        Matcher m = NODE_ACTION.matcher(request.path());
        if (request.method() != HttpMethod.POST || !m.matches()) {
            request.response().setStatusCode(404).end("unknown request: " + request.method() + " " + request.path() + "\n");
            return;
        }
        String node = m.group(1);
        boolean stop = m.group(2).equals("stop");
        // Stopping waits for the undeploy and starting for the agent's start-up: not on the event loop.
        stack.vertx().executeBlocking(() -> {
            if (stop) {
                stack.stopNode(node);
                return node + " stopped: no heartbeats, no placements processed; its containers keep running\n";
            }
            stack.startNode(node);
            return node + " started: a fresh agent adopted its containers and stops those released meanwhile\n";
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                request.response().end(ar.result());
            } else {
                Throwable e = ar.cause();
                int status = e instanceof IllegalArgumentException ? 404 : e instanceof IllegalStateException ? 409 : 500;
                request.response().setStatusCode(status).end(e.getMessage() + "\n");
            }
        });
    }

    @Override
    public void close() {
        server.close();
    }
}
