package dev.berth.proxy;

import dev.berth.proxy.core.Endpoint;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Small real servers on 127.0.0.1 for proxy tests, and blocking clients that talk to them. */
final class Backends {
    private Backends() {}

    static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An HTTP server that answers every request with its name. */
    static HttpServer http(Vertx vertx, String name) {
        return await(vertx.createHttpServer()
                .requestHandler(req -> req.body().onSuccess(b -> req.response().putHeader("content-type", "text/plain").end(name)))
                .listen(0, "127.0.0.1"));
    }

    /** A TCP server that says its name on a line, then echoes what it reads. */
    static NetServer echo(Vertx vertx, String name) {
        return await(vertx.createNetServer()
                .connectHandler(socket -> {
                    socket.write(name + "\n");
                    socket.handler(socket::write);
                })
                .listen(0, "127.0.0.1"));
    }

    static Endpoint endpoint(String pod, int port, boolean ready) {
        return new Endpoint(pod, "127.0.0.1", Map.of("http", port), ready);
    }

    /** A port nothing listens on (bound once and released). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A free port in the node port range, for tests running beside other tests. */
    static int freeNodePort() {
        for (int i = 0; i < 200; i++) {
            int port = ThreadLocalRandom.current().nextInt(30000, 32768);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress("127.0.0.1", port));
                return port;
            } catch (IOException busy) {
                // try another
            }
        }
        throw new AssertionError("no free node port");
    }

    /** One HTTP/1.1 request on a new connection ("Connection: close"); the body of the answer. */
    static String get(String host, int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request(host).getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/1.1 200")) {
                throw new IOException("no answer: \"" + response + "\"");
            }
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    static String request(String host) {
        return "GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    }

    /** Reads one line (up to \n) from a blocking stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            out.write(b);
        }
        if (b == -1 && out.size() == 0) {
            return null;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static List<String> names(int n, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }
}
