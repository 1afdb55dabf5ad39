package dev.berth.cli;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.BusConfig;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.LogReader;
import dev.berth.bus.Topic;
import dev.berth.bus.contract.Command;
import dev.berth.bus.contract.CommandAccepted;
import dev.berth.bus.contract.CommandRejected;
import dev.berth.bus.contract.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** Sends a command to berth.commands and waits for its answer on berth.command-results. */
public final class CommandClient {
    private final BusConfig bus;

    public CommandClient(BusConfig bus) { this.bus = bus; }

    /** The controller's answer: {@link CommandAccepted} or {@link CommandRejected}. */
    public Event send(Command command, Duration timeout) {
        return send(Envelope.command(command, "cli/" + System.getProperty("user.name", "user"), Instant.now()), timeout);
    }

    /** Sends a command already in its envelope (its id is the command id) and waits for the answer. */
    public Event send(Envelope env, Duration timeout) {
        Command command = (Command) env.data();
        try (KafkaConsumer<String, String> results = new KafkaConsumer<>(bus.props(bus.consumer(null, "berth-cli")));
             KafkaProducer<String, String> producer = new KafkaProducer<>(bus.props(bus.producer("berth-cli")))) {
            // Start listening before sending, so the answer cannot slip past.
            List<TopicPartition> partitions = LogReader.partitions(results, List.of(Topic.COMMAND_RESULTS));
            results.assign(partitions);
            Map<TopicPartition, Long> end = results.endOffsets(partitions);
            end.forEach(results::seek);

            producer.send(new ProducerRecord<>(Topic.COMMANDS.topicName(), command.target(), Json.encode(env)))
                    .get(10, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : results.poll(Duration.ofMillis(100))) {
                    if (!env.id().equals(r.key())) continue;
                    try {
                        return (Event) Json.decode(r.value()).data();
                    } catch (BadRecordException e) {
                        throw new IllegalStateException("unreadable answer from the controller: " + e.getMessage());
                    }
                }
            }
            throw new IllegalStateException("no answer from the controller within " + timeout.toSeconds()
                    + " s (is `berth up` running? broker " + bus.bootstrapServers() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot send the command to " + bus.bootstrapServers() + ": " + e.getMessage());
        }
    }
}
