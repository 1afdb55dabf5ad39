package dev.berth.bus;

import dev.berth.bus.TransactionalPublisher.Publication;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's way out to the log, in group commits: records handed over while a transaction
 * commits wait and go together in the next one. A busy service pays one transaction per group
 * instead of one per batch, and decides its next batch while the last one commits; an idle one
 * commits at once. Order is kept. Records are made (encoded) on the worker thread that commits.
 * Outputs handed over are already part of the service's state, so a failed commit is retried until
 * it succeeds (with back-off), unless the publisher was fenced by a newer instance or the outbox is closing.
 * Use it from the service's event loop only.
 */
public final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);
    /** Back-off between attempts while the broker is unavailable: 0.5 s, 1 s, 2 s, ... at most this. */
    private static final long MAX_BACK_OFF_MS = 5000;

    private final Vertx vertx;
    private final TransactionalPublisher publisher;
    private final String name;
    private List<Supplier<Publication>> queued = new ArrayList<>();
    /** The consumed offsets of the queued group, latest per partition. */
    private Map<TopicPartition, OffsetAndMetadata> queuedOffsets = new HashMap<>();
    private ConsumerGroupMetadata queuedGroup;
    private java.util.function.Supplier<ConsumerGroupMetadata> queuedLatestGroup;
    private Promise<Void> queuedCommitted = Promise.promise();
    private Future<Void> inFlight = Future.succeededFuture();
    private boolean committing;
    private boolean closing;
    private Promise<Void> drained;

    public Outbox(Vertx vertx, TransactionalPublisher publisher, String name) {
        this.vertx = vertx;
        this.publisher = publisher;
        this.name = name;
    }

    /** Queues records; the future completes once they are committed. */
    public Future<Void> publish(List<Supplier<Publication>> records) { return publish(records, null); }

    /**
     * Queues records together with the consumer offsets of the input they answer: both commit in the
     * same transaction (a later group's offsets supersede an earlier one's for the same partition).
     */
    public Future<Void> publish(List<Supplier<Publication>> records, TransactionalPublisher.Offsets consumed) {
        if (records.isEmpty() && consumed == null) return Future.succeededFuture();
        queued.addAll(records);
        if (consumed != null) {
            queuedOffsets.putAll(consumed.next());
            queuedGroup = consumed.group();
            queuedLatestGroup = consumed.latestGroup();
        }
        Future<Void> committed = queuedCommitted.future();
        if (!committing) commitQueued();
        return committed;
    }

    /**
     * Back-pressure for the reader feeding this outbox: completes at once while no group waits behind
     * the one committing, else when the one committing is done. So at most one group commits while
     * the next one fills.
     */
    public Future<Void> room() { return queued.isEmpty() && queuedGroup == null ? Future.succeededFuture() : inFlight; }

    /** Commits what is queued, then stops retrying; completes once the last group is done. */
    public Future<Void> close() {
        closing = true;
        if (!committing) return Future.succeededFuture();
        drained = Promise.promise();
        return drained.future();
    }

    private void commitQueued() {
        if (queued.isEmpty() && queuedGroup == null) {
            committing = false;
            if (drained != null) drained.tryComplete();
            return;
        }
        committing = true;
        List<Supplier<Publication>> group = queued;
        TransactionalPublisher.Offsets offsets = queuedGroup == null ? null
                : new TransactionalPublisher.Offsets(Map.copyOf(queuedOffsets), queuedGroup, queuedLatestGroup);
        Promise<Void> done = queuedCommitted;
        queued = new ArrayList<>();
        queuedOffsets = new HashMap<>();
        queuedGroup = null;
        queuedLatestGroup = null;
        queuedCommitted = Promise.promise();
        inFlight = commitUntilAcked(group, offsets, 1);
        inFlight.onComplete(ar -> {
            if (ar.succeeded()) done.complete();
            else done.fail(ar.cause());
            commitQueued();
        });
    }

    private Future<Void> commitUntilAcked(List<Supplier<Publication>> group, TransactionalPublisher.Offsets offsets, int attempt) {
        return publisher.commit(() -> make(group), offsets).recover(e -> {
            if (closing || publisher.fenced()) {
                if (publisher.fenced()) log.error("[{}] another instance took over (fenced): this one stops publishing", name);
                return Future.failedFuture(e);
            }
            long backOff = Math.min(MAX_BACK_OFF_MS, 250L << Math.min(attempt, 5));
            if (attempt == 1) log.warn("[{}] publishing {} records failed, retrying with back-off: {}", name, group.size(), e.toString());
            else log.debug("[{}] attempt {} failed, next in {} ms: {}", name, attempt, backOff, e.toString());
            return vertx.timer(backOff, TimeUnit.MILLISECONDS).compose(t -> commitUntilAcked(group, offsets, attempt + 1));
        });
    }

    private static List<Publication> make(List<Supplier<Publication>> group) {
        List<Publication> records = new ArrayList<>(group.size());
        for (Supplier<Publication> s : group) records.add(s.get());
        return records;
    }
}
