package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.ConfigMapApplied;
import dev.berth.bus.contract.SecretApplied;
import dev.berth.bus.testing.TestBus;
import dev.berth.controller.ControllerOptions;
import dev.berth.controller.ControllerVerticle;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ConfigMaps and Secrets through the CLI, the real broker and the controller: apply as written in Kubernetes' docs, get,
 * describe, -o yaml, delete; a Secret's value shows in none of apply's, get's, describe's, events' or why's output.
 */
class ConfigObjectsIntegrationTest {
    static TestBus bus;
    static Vertx vertx;

    /** From kubernetes.io's "Configure a Pod to Use a ConfigMap" and "Secrets" pages. */
    static final String MANIFEST = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: game-demo
            data:
              player_initial_lives: "3"
              ui_properties_file_name: "user-interface.properties"
              game.properties: |
                enemy.types=aliens,monsters
                player.maximum-lives=5
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: db-user-pass
            type: Opaque
            data:
              username: YWRtaW4=
            stringData:
              password: "S!B\\\\*d$zDsb="
            """;

    @BeforeAll
    static void start() throws Exception {
        bus = TestBus.start();
        vertx = Vertx.vertx();
        TestBus.await(vertx.deployVerticle(new ControllerVerticle(bus.config(), ControllerOptions.defaults())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (vertx != null) TestBus.await(vertx.close());
        if (bus != null) bus.close();
    }

    @Test
    void configMapsAndSecretsApplyGetDescribeAndDeleteWithoutShowingASecretValue(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("config.yaml"), MANIFEST);
        CliRun applied = berth("apply", "-f", file.toString());
        assertThat(applied.code()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("configmap/game-demo created").contains("secret/db-user-pass created");
        assertThat(berth("apply", "-f", file.toString()).out()).contains("configmap/game-demo unchanged").contains("secret/db-user-pass unchanged");

        SecretApplied secret = bus.await(Topic.SECRETS, SecretApplied.class, s -> s.secret().name().equals("db-user-pass"), Duration.ofSeconds(30));
        String password = secret.secret().data().get("password");
        assertThat(new String(java.util.Base64.getDecoder().decode(password))).isEqualTo("S!B\\*d$zDsb=");
        ConfigMapApplied config = bus.await(Topic.CONFIG_MAPS, ConfigMapApplied.class, c -> c.configMap().name().equals("game-demo"), Duration.ofSeconds(30));
        assertThat(config.configMap().data()).containsEntry("player_initial_lives", "3").containsKey("game.properties");

        assertThat(berth("get", "configmaps").out()).startsWith("NAME        DATA   AGE\ngame-demo   3      ");
        assertThat(berth("get", "secrets").out()).startsWith("NAME           TYPE     DATA   AGE\ndb-user-pass   Opaque   2      ");
        assertThat(berth("describe", "configmap/game-demo").out()).contains("game.properties:\n----\nenemy.types=aliens,monsters\n");
        String described = berth("describe", "secret/db-user-pass").out();
        assertThat(described).contains("Type:  Opaque").contains("password:  12 bytes").contains("username:  5 bytes");
        // -o yaml shows the base64 values, as kubectl does.
        assertThat(berth("get", "secret", "db-user-pass", "-o", "yaml").out()).contains("password: " + password).contains("kind: Secret");

        String events = berth("events").out() + berth("why", "secret/db-user-pass").out();
        for (String shown : new String[] {applied.out(), applied.err(), described, berth("get", "secrets", "-o", "wide").out(), events}) {
            assertThat(shown).doesNotContain(password).doesNotContain("S!B").doesNotContain("YWRtaW4=");
        }

        CliRun deleted = berth("delete", "-f", file.toString());
        assertThat(deleted.out()).contains("configmap \"game-demo\" deleted").contains("secret \"db-user-pass\" deleted");
        assertThat(berth("get", "configmap", "game-demo").err()).contains("Error from server (NotFound): configmaps \"game-demo\" not found");
        assertThat(berth("delete", "secret", "db-user-pass").err()).contains("secrets \"db-user-pass\" not found");
    }

    private static CliRun berth(String... args) { return CliRun.berth(bus.config().bootstrapServers(), args); }
}
