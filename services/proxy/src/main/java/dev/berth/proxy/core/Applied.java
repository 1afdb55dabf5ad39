package dev.berth.proxy.core;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one update: the new table, the listener changes to make, and the reason when the
 * update was set aside (then the table is unchanged and there are no changes).
 */
public record Applied(ProxyTable table, List<ListenerChange> changes, Optional<String> rejection) {
    public Applied {
        changes = List.copyOf(changes);
    }

    static Applied rejected(ProxyTable table, String reason) {
        return new Applied(table, List.of(), Optional.of(reason));
    }
}
