package dev.berth.proxy;

import dev.berth.proxy.core.Listener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * One event loop of the proxy: a NetServer per listener and a NetClient to endpoints. Every loop
 * listens on every listener; Vert.x shares one socket between them and hands new connections to
 * the loops in turn, so the data path uses all cores. State is touched only on this loop.
 */
final class ProxyLoop extends VerticleBase {
    private final ServiceProxy proxy;
    private final Map<Listener.Address, NetServer> servers = new HashMap<>();
    private NetClient client;

    ProxyLoop(ServiceProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public Future<?> start() {
        client = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout(proxy.options().connectTimeoutMs())
                .setTcpNoDelay(true));
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        return Future.join(servers.values().stream().map(NetServer::close).toList())
                .compose(v -> client.close());
    }

    Future<Void> open(Listener listener) {
        return onLoop(() -> {
            NetServer server = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true))
                    .connectHandler(socket -> new ProxiedConnection(proxy, client, listener, socket).start());
            return server.listen(listener.port(), listener.host()).map(s -> {
                servers.put(listener.address(), s);
                return null;
            });
        });
    }

    /**
     * Stops accepting on a listener; true if this loop had one open. Connections it already accepted
     * close with it (a removed Service or port). The kernel may still listen for a moment after: see
     * {@link ListenerRelease}.
     */
    Future<Boolean> close(Listener listener) {
        return onLoop(() -> {
            NetServer server = servers.remove(listener.address());
            return server == null ? Future.succeededFuture(false) : server.close().map(true);
        });
    }

    private <T> Future<T> onLoop(java.util.function.Supplier<Future<T>> action) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(promise));
        return promise.future();
    }
}
