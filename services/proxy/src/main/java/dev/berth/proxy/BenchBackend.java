package dev.berth.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A tiny HTTP server on 127.0.0.1 for {@link ProxyBenchmark}: answers every request with a short
 * body naming it. With a service time it models a pod of fixed capacity: at most {@code slots}
 * requests in service at once, each for {@code serviceTimeMs}, the rest wait in line — so one such
 * pod serves about slots / serviceTime requests per second however many cores the machine has.
 */
final class BenchBackend {
    private final String name;
    private final int serviceTimeMs;
    private final int slots;
    private final Deque<HttpServerRequest> waiting = new ArrayDeque<>();
    private int inService;
    private Vertx vertx;

    BenchBackend(String name, int serviceTimeMs, int slots) {
        this.name = name;
        this.serviceTimeMs = serviceTimeMs;
        this.slots = slots;
    }

    Future<HttpServer> listen(Vertx vertx) {
        this.vertx = vertx;
        Buffer body = Buffer.buffer("hello from " + name + "\n");
        return vertx.createHttpServer().requestHandler(req -> {
            if (serviceTimeMs == 0) {
                req.response().putHeader("content-type", "text/plain").end(body);
            } else {
                waiting.add(req);
                serveNext(body);
            }
        }).listen(0, "127.0.0.1");
    }

    private void serveNext(Buffer body) {
        while (inService < slots && !waiting.isEmpty()) {
            HttpServerRequest req = waiting.poll();
            inService++;
            vertx.setTimer(serviceTimeMs, t -> {
                inService--;
                req.response().putHeader("content-type", "text/plain").end(body);
                serveNext(body);
            });
        }
    }
}
