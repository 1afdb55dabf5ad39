package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.BusConfig;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local control endpoint serves only who presents the token from the 0600 state file: 401 otherwise, and the request never reaches the stack. */
class LocalControlTokenTest {
    @TempDir Path home;
    Vertx vertx;
    LocalControl control;
    final AtomicInteger served = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        control = LocalControl.start(vertx, request -> {
            served.incrementAndGet();
            request.response().end("done\n");
        });
    }

    @AfterEach
    void stop() throws Exception {
        control.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> post(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + control.port() + "/nodes/node-1/stop"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) b.header("Authorization", authorization);
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutTheTokenOrWithAWrongOneTheAnswerIs401() throws Exception {
        assertThat(post(null).statusCode()).isEqualTo(401);
        assertThat(post(null).headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(post("Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(post("Bearer " + control.token() + "x").statusCode()).isEqualTo(401);
        assertThat(post(control.token()).statusCode()).isEqualTo(401); // the scheme is part of it
        assertThat(served).hasValue(0);

        assertThat(post("Bearer " + control.token()).statusCode()).isEqualTo(200);
        assertThat(served).hasValue(1);
    }

    @Test
    void theCliReadsTheTokenFromTheStateFileItsOwnerAloneCanRead() throws Exception {
        Path file = StateFile.in(home);
        StateFile.ofThisProcess("127.0.0.1:1", control.port(), control.token()).write(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true));
        try {
            assertThat(NodeCommand.post(file, "/nodes/node-1/stop", "")).isZero();
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString()).isEqualTo("done\n");

        StateFile.ofThisProcess("127.0.0.1:1", control.port(), "stale").write(file);
        assertThatThrownBy(() -> NodeCommand.post(file, "/nodes/node-1/stop", "")).hasMessageContaining("wants the token");
        assertThat(served).hasValue(1);
    }

    @Test
    void clientPropertiesAreOwnerOnlyAndReadBackAsTheSameBus() throws Exception {
        BusConfig user = new BusConfig("127.0.0.1:19092").as("berth-user", "pw");
        Path file = ClientProperties.in(home);
        ClientProperties.write(file, user);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain("jaas").contains("sasl.username=berth-user\n", "sasl.password=pw\n",
                "bootstrap.servers=127.0.0.1:19092\n");
        assertThat(new BusConfig(user.bootstrapServers(), BusConfig.load(file)).admin()).isEqualTo(user.admin());
    }
}
