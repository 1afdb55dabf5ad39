package dev.berth.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.Consumer;

/**
 * A read stream that shows each buffer to an observer (counters, the HTTP request counter) on its
 * way through, so {@link ReadStream#pipeTo} keeps doing the backpressure.
 */
final class Tap implements ReadStream<Buffer> {
    private final ReadStream<Buffer> source;
    private final Consumer<Buffer> observer;

    Tap(ReadStream<Buffer> source, Consumer<Buffer> observer) {
        this.source = source;
        this.observer = observer;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        source.exceptionHandler(handler);
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        source.handler(handler == null ? null : buffer -> {
            observer.accept(buffer);
            handler.handle(buffer);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        source.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        source.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        source.fetch(amount);
        return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
        source.endHandler(endHandler);
        return this;
    }
}
