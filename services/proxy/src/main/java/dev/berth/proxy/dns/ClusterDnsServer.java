package dev.berth.proxy.dns;

import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster DNS's shell: UDP and TCP (two-byte length framing, RFC 1035 4.2.2) on one address and port, each
 * query answered by {@link ClusterDns} from the Services the proxy holds at that moment. Bounded: TCP connections
 * at once, queries per connection and an idle timeout; a query over the size limit closes its TCP connection.
 */
public final class ClusterDnsServer {
    private static final Logger log = LoggerFactory.getLogger(ClusterDnsServer.class);
    static final int MAX_TCP_CONNECTIONS = 256;
    static final int MAX_QUERIES_PER_CONNECTION = 1000;
    static final int TCP_IDLE_SECONDS = 10;

    private final ClusterDns dns;
    private final Supplier<Map<ServiceKey, ServiceEndpoints>> services;
    private final AtomicInteger tcpConnections = new AtomicInteger();
    private DatagramSocket udp;
    private NetServer tcp;

    private ClusterDnsServer(ClusterDns dns, Supplier<Map<ServiceKey, ServiceEndpoints>> services) {
        this.dns = dns;
        this.services = services;
    }

    /** Listens on {@code address:port} (port 0: UDP and TCP each pick one, tests only); fails if either cannot bind. */
    public static Future<ClusterDnsServer> start(Vertx vertx, String address, int port, String domain,
                                                 Supplier<Map<ServiceKey, ServiceEndpoints>> services) {
        ClusterDnsServer s = new ClusterDnsServer(new ClusterDns(domain), services);
        s.udp = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(256 * 1024));
        s.udp.handler(packet -> {
            Buffer data = packet.data();
            if (data.length() > ClusterDns.MAX_QUERY_BYTES) return;
            s.dns.answer(data.getBytes(), s.services.get(), ClusterDns.Transport.UDP).ifPresent(out ->
                    s.udp.send(Buffer.buffer(out), packet.sender().port(), packet.sender().host()));
        });
        s.tcp = vertx.createNetServer(new NetServerOptions().setIdleTimeout(TCP_IDLE_SECONDS).setHost(address).setPort(port));
        s.tcp.connectHandler(s::serve);
        return s.udp.listen(port, address).compose(u -> s.tcp.listen()).map(s)
                .recover(e -> s.stop().transform(ignored -> Future.failedFuture(e)));
    }

    private void serve(NetSocket socket) {
        if (tcpConnections.incrementAndGet() > MAX_TCP_CONNECTIONS) {
            tcpConnections.decrementAndGet();
            socket.close();
            return;
        }
        socket.closeHandler(v -> tcpConnections.decrementAndGet());
        int[] served = {0};
        RecordParser parser = RecordParser.newFixed(2);
        boolean[] readingLength = {true};
        parser.handler(chunk -> {
            if (readingLength[0]) {
                int length = chunk.getUnsignedShort(0);
                if (length == 0 || length > ClusterDns.MAX_QUERY_BYTES) {
                    socket.close();
                    return;
                }
                readingLength[0] = false;
                parser.fixedSizeMode(length);
                return;
            }
            readingLength[0] = true;
            parser.fixedSizeMode(2);
            if (++served[0] > MAX_QUERIES_PER_CONNECTION) {
                socket.close();
                return;
            }
            dns.answer(chunk.getBytes(), services.get(), ClusterDns.Transport.TCP).ifPresent(out ->
                    socket.write(Buffer.buffer().appendUnsignedShort(out.length).appendBytes(out)));
        });
        socket.handler(parser);
        socket.exceptionHandler(e -> log.debug("DNS over TCP: {}", e.toString()));
    }

    /** The UDP port (tests: when started on port 0). */
    public int udpPort() { return udp.localAddress().port(); }

    /** The TCP port (tests: when started on port 0). */
    public int tcpPort() { return tcp.actualPort(); }

    public Future<Void> stop() {
        Future<Void> u = udp == null ? Future.succeededFuture() : udp.close();
        Future<Void> t = tcp == null ? Future.succeededFuture() : tcp.close();
        return Future.join(u, t).mapEmpty();
    }
}
