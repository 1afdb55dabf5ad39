package dev.berth.bus;

import dev.berth.bus.TransactionalPublisher.Publication;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
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
 * it succeeds, unless the publisher was fenced by a newer instance or the outbox is closing.
 * Use it from the service's event loop only.
 */
public final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final Vertx vertx;
    private final TransactionalPublisher publisher;
    private final String name;
    private List<Supplier<Publication>> queued = new ArrayList<>();
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
    public Future<Void> publish(List<Supplier<Publication>> records) {
        if (records.isEmpty()) return Future.succeededFuture();
        queued.addAll(records);
        Future<Void> committed = queuedCommitted.future();
        if (!committing) commitQueued();
        return committed;
    }

    /**
     * Back-pressure for the reader feeding this outbox: completes at once while no group waits behind
     * the one committing, else when the one committing is done. So at most one group commits while
     * the next one fills.
     */
    public Future<Void> room() { return queued.isEmpty() ? Future.succeededFuture() : inFlight; }

    /** Commits what is queued, then stops retrying; completes once the last group is done. */
    public Future<Void> close() {
        closing = true;
        if (!committing) return Future.succeededFuture();
        drained = Promise.promise();
        return drained.future();
    }

    private void commitQueued() {
        if (queued.isEmpty()) {
            committing = false;
            if (drained != null) drained.tryComplete();
            return;
        }
        committing = true;
        List<Supplier<Publication>> group = queued;
        Promise<Void> done = queuedCommitted;
        queued = new ArrayList<>();
        queuedCommitted = Promise.promise();
        inFlight = commitUntilAcked(group);
        inFlight.onComplete(ar -> {
            if (ar.succeeded()) done.complete();
            else done.fail(ar.cause());
            commitQueued();
        });
    }

    private Future<Void> commitUntilAcked(List<Supplier<Publication>> group) {
        return publisher.commit(() -> make(group)).recover(e -> {
            if (closing || publisher.fenced()) {
                if (publisher.fenced()) log.error("[{}] another instance took over (fenced): this one stops publishing", name);
                return Future.failedFuture(e);
            }
            log.warn("[{}] publishing {} records failed, retrying in 1 s: {}", name, group.size(), e.toString());
            return vertx.timer(1, TimeUnit.SECONDS).compose(t -> commitUntilAcked(group));
        });
    }

    private static List<Publication> make(List<Supplier<Publication>> group) {
        List<Publication> records = new ArrayList<>(group.size());
        for (Supplier<Publication> s : group) records.add(s.get());
        return records;
    }
}
