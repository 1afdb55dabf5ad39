package dev.berth.bus.security;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Topic.Owner;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.security.BusAccounts.Account;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KcatProbeTmpTest {
    @Test
    void probe() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startTemporary(true)) {
            BusConfig admin = new BusConfig(kafka.superUserBootstrap(), kafka.superUserClient());
            TopicAdmin.ensureTopics(admin);
            Account a = Account.create(Owner.USERS, "berth-user");
            BusAccounts.apply(admin, List.of(a));
            Path f = Path.of("/tmp/busauth-probe.properties");
            Files.writeString(f, "bootstrap.servers=" + kafka.bootstrapServers() + "\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.username=berth-user\nsasl.password=" + a.password() + "\n");
            for (String extra : new String[] {"", "-Xdebug=security"}) {
                List<String> cmd = new java.util.ArrayList<>(List.of("kcat", "-F", f.toString(), "-L", "-m", "5"));
                if (!extra.isEmpty()) cmd.add("-d"); if (!extra.isEmpty()) cmd.add("security");
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                System.out.println("KCAT>> " + new String(p.getInputStream().readAllBytes()));
                p.waitFor();
            }
        }
    }
}
