package dev.berth.cli;

import dev.berth.bus.BusConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code $BERTH_HOME/client.properties}: the user's Kafka client settings as {@code berth up} made them
 * (bootstrap.servers, security.protocol, sasl.mechanism PLAIN (old librdkafka fails SCRAM against Kafka 4), sasl.username,
 * sasl.password: librdkafka's names, which
 * BusConfig turns into the Java client's sasl.jaas.config; kcat refuses a JAAS line), so every
 * berth command, kcat ({@code -F}) and librdkafka clients (confluent-kafka-python)
 * drive the cluster as the user. It holds a password: mode 0600 from the first byte, replaced atomically.
 */
final class ClientProperties {
    private ClientProperties() {}

    static Path in(Path home) { return home.resolve(BusConfig.CLIENT_FILE); }

    static void write(Path file, BusConfig bus) throws IOException {
        Map<String, String> all = new TreeMap<>(bus.client());
        all.put("bootstrap.servers", bus.bootstrapServers());
        StringBuilder text = new StringBuilder("# written by berth up (pid " + ProcessHandle.current().pid()
                + "): the user's Kafka client settings; new credentials every berth up\n");
        // Plain key=value lines (no Properties escaping of ':' and '='): kcat -F reads them literally.
        all.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] mode = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, "." + BusConfig.CLIENT_FILE + ".", ".tmp", mode);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
