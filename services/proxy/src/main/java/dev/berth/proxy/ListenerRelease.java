package dev.berth.proxy;

import dev.berth.proxy.core.Listener;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Waits until the kernel no longer listens on a closed listener's address. With Netty's NIO
 * transport a NetServer's close completes before the socket is really gone: a listening channel
 * still registered with a selector keeps its file descriptor (and keeps accepting, then resetting,
 * connections) until that event loop's next select. A Service deleted, or a port moved, must refuse
 * new clients once its update is done, and a listener reopened on the address must be able to bind.
 */
final class ListenerRelease {
    private ListenerRelease() {}

    /** Blocking: true once nothing listens on the address, false if something still does after {@code max}. */
    static boolean await(Listener.Address address, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (listening(address)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Binds (never listens: no client can land on it) with SO_REUSEADDR, which Linux refuses only
     * while a socket listens on the address; connections accepted earlier do not count.
     */
    static boolean listening(Listener.Address address) {
        try (Socket probe = new Socket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address.host(), address.port()));
            return false;
        } catch (BindException e) {
            String m = String.valueOf(e.getMessage());
            return m.contains("in use"); // "Cannot assign requested address": the IP is gone, so is the listener
        } catch (IOException e) {
            return false;
        }
    }
}
