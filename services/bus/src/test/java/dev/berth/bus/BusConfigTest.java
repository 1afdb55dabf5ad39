package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the bootstrap address and the client (security) properties come from, and what the Java clients get. */
class BusConfigTest {
    @TempDir Path home;

    @Test
    void clientPropertiesComeFromBerthHomeAndEnvironmentVariablesOverrideThem() throws Exception {
        Files.writeString(home.resolve("client.properties"), """
                bootstrap.servers=127.0.0.1:19092
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=SCRAM-SHA-512
                sasl.username=berth-user
                sasl.password=secret
                """);
        BusConfig bus = BusConfig.resolve(null, Map.of("BERTH_HOME", home.toString(), "BERTH_KAFKA_SASL_PASSWORD", "other"));

        assertThat(bus.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(bus.client()).containsEntry("sasl.password", "other").doesNotContainKey("bootstrap.servers");
        assertThat(bus.authenticated()).isTrue();
        assertThat(bus.toString()).doesNotContain("other");
        // The Java client wants a JAAS line, kcat refuses one: the file keeps librdkafka's names.
        assertThat(bus.producer("p"))
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"berth-user\" password=\"other\";")
                .containsEntry("bootstrap.servers", "127.0.0.1:19092")
                .doesNotContainKeys("sasl.username", "sasl.password");
    }

    @Test
    void theFlagAndBerthBootstrapWinOverTheFile() throws Exception {
        Path file = home.resolve("mine.properties");
        Files.writeString(file, "bootstrap.servers=a:1\nsecurity.protocol=SSL\n");
        Map<String, String> env = Map.of("BERTH_HOME", home.toString(), "BERTH_CLIENT_CONFIG", file.toString(), "BERTH_BOOTSTRAP", "b:2");

        assertThat(BusConfig.resolve(null, env).bootstrapServers()).isEqualTo("b:2");
        assertThat(BusConfig.resolve("c:3", env).bootstrapServers()).isEqualTo("c:3");
        assertThat(BusConfig.resolve(null, env).client()).containsEntry("security.protocol", "SSL");
    }

    @Test
    void withoutAnyFileTheBusIsPlainText() {
        BusConfig bus = BusConfig.resolve(null, Map.of("BERTH_HOME", home.toString()));
        assertThat(bus.bootstrapServers()).isEqualTo(BusConfig.DEFAULT_BOOTSTRAP);
        assertThat(bus.client()).isEmpty();
        assertThat(bus.authenticated()).isFalse();
    }

    @Test
    void aClientConfigNamingNoFileIsAnError() {
        assertThatThrownBy(() -> BusConfig.resolve(null, Map.of("BERTH_CLIENT_CONFIG", home.resolve("none").toString())))
                .hasMessageContaining("BERTH_CLIENT_CONFIG names no file");
    }

    @Test
    void anExplicitJaasLineIsKeptAndPlainMechanismGetsThePlainModule() {
        BusConfig jaas = new BusConfig("x:1", Map.of("sasl.mechanism", "PLAIN", "sasl.jaas.config", "given;"));
        assertThat(jaas.admin()).containsEntry("sasl.jaas.config", "given;");
        BusConfig plain = new BusConfig("x:1", Map.of("sasl.mechanisms", "PLAIN", "sasl.username", "u", "sasl.password", "p\"q"));
        assertThat(plain.admin()).containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\\\"q\";");
    }
}
