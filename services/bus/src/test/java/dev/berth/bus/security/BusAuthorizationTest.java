package dev.berth.bus.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.broker.EmbeddedKafka;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Topic;
import dev.berth.bus.Topic.Owner;
import dev.berth.bus.TopicAdmin;
import dev.berth.bus.security.BusAccounts.Account;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A broker with SCRAM and the StandardAuthorizer, with the accounts and ACLs Acls derives: who may write and read what. */
class BusAuthorizationTest {
    static EmbeddedKafka kafka;
    static BusConfig plain;
    static BusConfig admin;
    static final List<Account> accounts = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startTemporary(true);
        admin = new BusConfig(kafka.superUserBootstrap(), kafka.superUserClient());
        TopicAdmin.ensureTopics(admin);
        for (Owner role : Acls.roles()) accounts.add(Account.create(role, Acls.principal(role, "node-1")));
        BusAccounts.apply(admin, accounts);
        plain = new BusConfig(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) kafka.close();
    }

    static BusConfig as(Owner role) {
        return accounts.stream().filter(a -> a.role() == role).findFirst().orElseThrow().on(plain);
    }

    static KafkaProducer<String, String> producer(BusConfig bus) {
        Map<String, String> c = bus.producer("auth-test");
        c.put("max.block.ms", "5000");
        c.put("delivery.timeout.ms", "5000");
        c.put("request.timeout.ms", "4000");
        return new KafkaProducer<>(bus.props(c));
    }

    static void write(KafkaProducer<String, String> p, Topic topic) throws Exception {
        p.send(new ProducerRecord<>(topic.topicName(), "k", "{}")).get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAnonymousClientCannotWritePlacements() {
        try (KafkaProducer<String, String> p = producer(plain)) {
            // A plain-text client never gets past the SASL handshake: no metadata, so no send.
            assertThatThrownBy(() -> write(p, Topic.PLACEMENTS)).hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
    }

    @Test
    void theUserWritesCommandsButNotPlacements() throws Exception {
        try (KafkaProducer<String, String> p = producer(as(Owner.USERS))) {
            write(p, Topic.COMMANDS);
            assertThatThrownBy(() -> write(p, Topic.PLACEMENTS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void eachPrincipalWritesExactlyTheTopicsItMayWrite() throws Exception {
        for (Owner role : Acls.roles()) {
            try (KafkaProducer<String, String> p = producer(as(role))) {
                for (Topic t : Topic.values()) {
                    if (t.writers().contains(role)) {
                        write(p, t);
                    } else {
                        assertThatThrownBy(() -> write(p, t)).as("%s writing %s", role, t.topicName())
                                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
                    }
                }
            }
        }
    }

    @Test
    void aWrongPasswordIsAnAuthenticationError() {
        BusConfig impostor = plain.as(Acls.principal(Owner.SCHEDULER), "not-its-password");
        try (KafkaProducer<String, String> p = producer(impostor)) {
            assertThatThrownBy(() -> write(p, Topic.PLACEMENTS)).hasCauseInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void eachPrincipalReadsExactlyTheTopicsItMayRead() {
        for (Owner role : Acls.roles()) {
            BusConfig bus = as(role);
            for (Topic t : Topic.values()) {
                try (KafkaConsumer<String, String> c = new KafkaConsumer<>(bus.props(bus.consumer(null, "auth-test")))) {
                    c.assign(List.of(new TopicPartition(t.topicName(), 0)));
                    if (t.readers().contains(role)) {
                        c.poll(Duration.ofMillis(200));
                    } else {
                        assertThatThrownBy(() -> {
                            for (int i = 0; i < 40; i++) c.poll(Duration.ofMillis(250));
                        }).as("%s reading %s", role, t.topicName()).isInstanceOf(TopicAuthorizationException.class);
                    }
                }
            }
        }
    }

    @Test
    void onlyTheControllerNodeAgentsAndTheUserReadSecrets() {
        assertThat(Acls.roles().stream().filter(r -> Topic.SECRETS.readers().contains(r)))
                .containsExactlyInAnyOrder(Owner.USERS, Owner.CONTROLLER, Owner.NODE_AGENT); // each refused otherwise, above
    }

    @Test
    void aNodeAgentReadsPlacementsButNotCommands() {
        BusConfig node = as(Owner.NODE_AGENT);
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(node.props(node.consumer(null, "auth-test")))) {
            c.assign(List.of(new TopicPartition(Topic.PLACEMENTS.topicName(), 0)));
            c.poll(Duration.ofMillis(500));
            c.assign(List.of(new TopicPartition(Topic.COMMANDS.topicName(), 0)));
            assertThatThrownBy(() -> {
                for (int i = 0; i < 40; i++) c.poll(Duration.ofMillis(250));
            }).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void transactionalIdsBelongToTheirPrincipal() {
        Map<String, String> own = as(Owner.SCHEDULER).producer("auth-test");
        own.put("transactional.id", "berth-scheduler");
        try (KafkaProducer<String, String> p = new KafkaProducer<>(plain.props(own))) {
            p.initTransactions();
        }
        Map<String, String> other = as(Owner.SCHEDULER).producer("auth-test");
        other.put("transactional.id", "berth-controller");
        other.put("max.block.ms", "5000");
        try (KafkaProducer<String, String> p = new KafkaProducer<>(plain.props(other))) {
            assertThatThrownBy(p::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void aPrincipalNoLongerWantedLosesItsLogin() throws Exception {
        Account gone = Account.create(Owner.NODE_AGENT, Acls.principal(Owner.NODE_AGENT, "gone"));
        List<Account> withGone = new ArrayList<>(accounts);
        withGone.add(gone);
        BusAccounts.apply(admin, withGone);
        try (KafkaProducer<String, String> p = producer(gone.on(plain))) {
            write(p, Topic.NODE_HEARTBEATS);
        }
        BusAccounts.apply(admin, accounts);
        try (KafkaProducer<String, String> p = producer(gone.on(plain))) {
            assertThatThrownBy(() -> write(p, Topic.NODE_HEARTBEATS)).hasCauseInstanceOf(AuthenticationException.class);
        }
        assertThat(accounts).noneMatch(a -> a.principal().equals(gone.principal()));
    }
}
