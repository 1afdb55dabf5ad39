package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.TransactionalPublisher.Publication;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exactly-once read-process-write on the real broker: outputs and consumer offsets commit together. */
class TransactionalPublisherTest {
    static TestBus bus;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        bus = TestBus.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        TestBus.await(vertx.close());
        bus.close();
    }

    static <T> T get(Future<T> f) throws Exception { return TestBus.await(f); }

    /** Answers every command with one CommandAccepted, committing the answer and the offset in one transaction. */
    static LogTail answering(TransactionalPublisher publisher) {
        return LogTail.followBatches(vertx, bus.config(), "tx-test", List.of(Topic.COMMANDS),
                new LogTail.Start.TransactionalGroup("tx-test"), batch -> {
                    List<Publication> answers = new ArrayList<>();
                    for (RawRecord r : batch.records()) {
                        String id = r.key();
                        answers.add(Publication.of(Topic.COMMAND_RESULTS, id, Envelope.spontaneous(
                                new CommandAccepted(id, "DeleteDeployment", id, "ok"), "test", Instant.now())));
                    }
                    return publisher.commit(answers, batch);
                });
    }

    @Test
    void eachInputIsAnsweredExactlyOnceAcrossARestart() throws Exception {
        TransactionalPublisher first = get(TransactionalPublisher.create(vertx, bus.config(), "tx-test"));
        LogTail tail = answering(first);
        for (int i = 0; i < 10; i++) bus.send(Topic.COMMANDS, "a" + i, new DeleteDeployment("a" + i));
        await().atMost(Duration.ofSeconds(30)).until(() -> bus.payloads(Topic.COMMAND_RESULTS, CommandAccepted.class).size() == 10);
        tail.close();
        get(first.close());

        for (int i = 0; i < 5; i++) bus.send(Topic.COMMANDS, "b" + i, new DeleteDeployment("b" + i));
        TransactionalPublisher second = get(TransactionalPublisher.create(vertx, bus.config(), "tx-test"));
        LogTail resumed = answering(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> bus.payloads(Topic.COMMAND_RESULTS, CommandAccepted.class).size() >= 15);
        Thread.sleep(1000); // would a duplicate still arrive?
        resumed.close();
        get(second.close());

        List<String> answered = bus.payloads(Topic.COMMAND_RESULTS, CommandAccepted.class).stream().map(CommandAccepted::commandId).toList();
        assertThat(answered).hasSize(15).doesNotHaveDuplicates();
    }

    @Test
    void aNewInstanceFencesTheOldOne() throws Exception {
        TransactionalPublisher old = get(TransactionalPublisher.create(vertx, bus.config(), "fencing-test"));
        TransactionalPublisher successor = get(TransactionalPublisher.create(vertx, bus.config(), "fencing-test"));
        Publication p = Publication.of(Topic.DEAD_LETTERS, "k", Envelope.spontaneous(new DeleteDeployment("x"), "test", Instant.now()));

        Future<Void> zombie = old.commit(List.of(p), null);
        assertThat(zombie.toCompletionStage().toCompletableFuture()).failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .satisfies(e -> System.out.println("zombie commit failed with: " + e.getCause()));
        assertThat(old.fenced()).isTrue();
        get(successor.commit(List.of(p), null));
        get(old.close());
        get(successor.close());
    }
}
