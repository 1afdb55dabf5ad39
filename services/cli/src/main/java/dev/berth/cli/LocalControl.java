package dev.berth.cli;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running {@code berth up}'s control endpoint, so {@code berth node stop|start NAME} in another
 * terminal can reach the local stack: {@code POST /nodes/NAME/stop} and {@code POST /nodes/NAME/start}
 * on 127.0.0.1 at a random port, which {@code berth up} writes to its state file as {@code control.port}.
 * Also {@code POST /images/load} (body: the archive's absolute path on this host), {@code /images/rm}
 * (body: a reference) and {@code /images/prune} for {@code berth image}: each running node agent's own
 * image service does the work, so the CLI never writes a store an agent uses (docs/images.md says why
 * this and not a command on the bus).
 * Every request must carry {@code Authorization: Bearer TOKEN}, the token {@code berth up} keeps in its
 * state file (mode 0600), or gets 401: another user of the host must not stop nodes or load images.
 * Local-stack plumbing only: the services themselves still talk only through Kafka.
 */
final class LocalControl implements AutoCloseable {
    private static final Pattern NODE_ACTION = Pattern.compile("/nodes/([a-z0-9][-a-z0-9.]*)/(stop|start)");
    private static final Pattern IMAGE_ACTION = Pattern.compile("/images/(load|rm|prune)");
    /** A path or a reference: nothing longer is meant. */
    private static final int MAX_BODY = 4096;

    private final HttpServer server;
    private final String token;

    private LocalControl(HttpServer server, String token) {
        this.server = server;
        this.token = token;
    }

    static LocalControl start(LocalStack stack) throws Exception {
        return start(stack.vertx(), request -> handle(stack, request));
    }

    /** Serves {@code authorized} on a free 127.0.0.1 port, behind a fresh bearer token. */
    static LocalControl start(Vertx vertx, Handler<HttpServerRequest> authorized) throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        HttpServer server = vertx.createHttpServer()
                .requestHandler(request -> {
                    String given = request.getHeader("Authorization");
                    // Constant time: the comparison must not tell how much of a guess was right.
                    if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                        request.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                                .end("the control endpoint wants the token in " + StateFile.NAME + " (Authorization: Bearer TOKEN)\n");
                        return;
                    }
                    authorized.handle(request);
                })
                .listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new LocalControl(server, token);
    }

    int port() {
        return server.actualPort();
    }

    /** What a request must present as {@code Authorization: Bearer TOKEN}. */
    String token() {
        return token;
    }

    private static void handle(LocalStack stack, HttpServerRequest request) {
        Matcher image = IMAGE_ACTION.matcher(request.path());
        if (request.method() == HttpMethod.POST && image.matches()) {
            images(stack, request, image.group(1));
            return;
        }
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

    private static void images(LocalStack stack, HttpServerRequest request, String action) {
        StringBuilder body = new StringBuilder();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                request.response().setStatusCode(413).end("request body longer than " + MAX_BODY + " bytes\n");
                request.connection().close();
                return;
            }
            body.append(chunk.toString(java.nio.charset.StandardCharsets.UTF_8));
        });
        request.endHandler(v -> {
            if (request.response().ended()) return;
            String arg = body.toString().strip();
            stack.vertx().executeBlocking(() -> switch (action) {
                case "load" -> {
                    java.nio.file.Path archive = java.nio.file.Path.of(arg);
                    if (!archive.isAbsolute()) throw new IllegalArgumentException("not an absolute path: " + arg);
                    if (!java.nio.file.Files.exists(archive)) throw new IllegalArgumentException("no such file: " + arg);
                    yield answers(stack.loadImage(archive), "loaded");
                }
                case "rm" -> answers(stack.removeImage(arg), "untagged");
                default -> answers(stack.pruneImages(), "deleted");
            }, false).onComplete(ar -> {
                if (ar.succeeded()) {
                    request.response().end(ar.result());
                } else {
                    int status = ar.cause() instanceof IllegalArgumentException ? 400 : 500;
                    request.response().setStatusCode(status).end(ar.cause().getMessage() + "\n");
                }
            });
        });
    }

    /** One line per node and image, or the node's error; as docker prints "Loaded image: …". */
    static String answers(java.util.List<LocalStack.NodeAnswer> answers, String verb) {
        StringBuilder out = new StringBuilder();
        for (LocalStack.NodeAnswer a : answers) {
            if (a.error() != null) out.append(a.node()).append(": error: ").append(a.error()).append('\n');
            else if (a.images().isEmpty()) out.append(a.node()).append(": nothing ").append(verb).append('\n');
            else a.images().forEach(i -> out.append(a.node()).append(": ").append(verb).append(' ').append(i).append('\n'));
        }
        return out.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
