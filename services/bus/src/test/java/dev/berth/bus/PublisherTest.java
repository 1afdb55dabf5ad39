package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Publisher.Message;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.testing.TestBus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The plain publisher on the real broker: batches acked as one, in order per key, answers on the caller's context. */
class PublisherTest {
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

    static List<Message> deletions(String prefix, int count, int keys) {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            messages.add(new Message(Topic.COMMANDS, prefix + "key" + (i % keys),
                    Envelope.spontaneous(new DeleteDeployment(prefix + i), "test", Instant.now())));
        }
        return messages;
    }

    /** The names of the deletions starting with {@code prefix}, grouped by record key, in log order. */
    static Map<String, List<String>> namesByKey(String prefix) {
        return LogReader.readEnvelopes(bus.config(), List.of(Topic.COMMANDS)).stream()
                .filter(e -> e.data() instanceof DeleteDeployment d && d.name().startsWith(prefix))
                .map(e -> ((DeleteDeployment) e.data()).name())
                .collect(Collectors.groupingBy(name -> prefix + "key" + (Integer.parseInt(name.substring(prefix.length())) % 4)));
    }

    @Test
    void aBatchCompletesOnTheCallersContextOnceAllAreWrittenInOrderPerKey() throws Exception {
        Publisher publisher = Publisher.create(vertx, bus.config(), "publisher-test");
        Context caller = vertx.getOrCreateContext();
        Promise<Context> completedOn = Promise.promise();
        caller.runOnContext(v -> publisher.sendAll(deletions("batch-", 500, 4))
                .onComplete(ar -> completedOn.complete(Vertx.currentContext())));
        assertThat(get(completedOn.future())).isSameAs(caller);

        Map<String, List<String>> byKey = namesByKey("batch-");
        assertThat(byKey).hasSize(4);
        byKey.forEach((key, names) -> {
            List<Integer> numbers = names.stream().map(n -> Integer.parseInt(n.substring("batch-".length()))).toList();
            assertThat(numbers).hasSize(125).isSorted();
        });
        get(publisher.close());
    }

    @Test
    void forgottenSendsArriveToo() throws Exception {
        Publisher publisher = Publisher.create(vertx, bus.config(), "publisher-test-forget");
        publisher.sendAndForget(deletions("forgotten-", 50, 4));
        await().atMost(Duration.ofSeconds(30)).until(() -> namesByKey("forgotten-").values().stream().mapToInt(List::size).sum() == 50);
        get(publisher.close());
    }

    @Test
    void closeFlushesWhatWasHandedOverAndLaterSendsFail() throws Exception {
        Publisher publisher = Publisher.create(vertx, bus.config(), "publisher-test-close");
        publisher.sendAndForget(deletions("flushed-", 20, 4));
        get(publisher.close());
        assertThat(namesByKey("flushed-").values().stream().mapToInt(List::size).sum()).isEqualTo(20);
        assertThatThrownBy(() -> get(publisher.sendAll(deletions("late-", 1, 1))))
                .isInstanceOf(ExecutionException.class).hasRootCauseInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        get(publisher.close()); // twice is harmless
    }
}
