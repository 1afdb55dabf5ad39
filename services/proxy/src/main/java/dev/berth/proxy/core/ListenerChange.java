package dev.berth.proxy.core;

/**
 * What the shell does after a table update, in the order given: close listeners, remove cluster
 * IPs no listener uses any more, add new cluster IPs (before anything binds them), open listeners.
 */
public sealed interface ListenerChange {
    record Close(Listener listener) implements ListenerChange {}

    /** Stop answering for a cluster IP (remove its /32 from the dummy interface). */
    record RemoveAddress(String ip) implements ListenerChange {}

    /** Answer for a cluster IP on this node (add it as a /32 to the dummy interface). */
    record AddAddress(String ip) implements ListenerChange {}

    record Open(Listener listener) implements ListenerChange {}
}
