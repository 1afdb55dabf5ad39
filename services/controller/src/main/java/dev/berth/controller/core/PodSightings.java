package dev.berth.controller.core;

import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.pcollections.PSortedMap;
import org.pcollections.TreePMap;

/**
 * What {@link Intruders} needs beyond the pods the controller holds: the names of pods it let go of
 * (deleted or lost: their nodes may still report them for a while, which is no intrusion), and the
 * pods it already flagged on each node (one {@code PodIntruderFound} per pod and node, not one per
 * report). Both are bounded, oldest dropped first; persistent like the rest of the state.
 *
 * <p>Past {@link #FORGOTTEN_MAX} removed pods, a very late report of the oldest is taken for an
 * intruder and stopped — which its node should have done anyway.
 */
public record PodSightings(PMap<String, Long> forgotten, PSortedMap<Long, String> forgottenOrder, long nextForgotten,
                           PMap<String, Long> flagged, PSortedMap<Long, String> flaggedOrder, long nextFlagged) {

    public static final int FORGOTTEN_MAX = 100_000;
    public static final int FLAGGED_MAX = 10_000;
    public static final PodSightings NONE = new PodSightings(HashTreePMap.empty(), TreePMap.empty(), 0, HashTreePMap.empty(), TreePMap.empty(), 0);

    public boolean wasForgotten(String pod) { return forgotten.containsKey(pod); }

    public boolean flagged(String node, String pod) { return flagged.containsKey(key(node, pod)); }

    public int flaggedCount() { return flagged.size(); }

    PodSightings forget(String pod) {
        if (forgotten.containsKey(pod)) return this;
        PMap<String, Long> names = forgotten.plus(pod, nextForgotten);
        PSortedMap<Long, String> order = forgottenOrder.plus(nextForgotten, pod);
        if (order.size() > FORGOTTEN_MAX) {
            Long oldest = order.firstKey();
            names = names.minus(order.get(oldest));
            order = order.minus(oldest);
        }
        return new PodSightings(names, order, nextForgotten + 1, flagged, flaggedOrder, nextFlagged);
    }

    /** A name the controller creates again (never, as names carry serials; but a rebuilt log may say so) is no longer forgotten. */
    PodSightings remember(String pod) {
        Long at = forgotten.get(pod);
        if (at == null) return this;
        return new PodSightings(forgotten.minus(pod), forgottenOrder.minus(at), nextForgotten, flagged, flaggedOrder, nextFlagged);
    }

    PodSightings flag(String node, String pod) {
        String k = key(node, pod);
        if (flagged.containsKey(k)) return this;
        PMap<String, Long> keys = flagged.plus(k, nextFlagged);
        PSortedMap<Long, String> order = flaggedOrder.plus(nextFlagged, k);
        if (order.size() > FLAGGED_MAX) {
            Long oldest = order.firstKey();
            keys = keys.minus(order.get(oldest));
            order = order.minus(oldest);
        }
        return new PodSightings(forgotten, forgottenOrder, nextForgotten, keys, order, nextFlagged + 1);
    }

    /** The node reported the flagged pod stopped: should it ever come back, it is flagged again. */
    PodSightings unflag(String node, String pod) {
        Long at = flagged.get(key(node, pod));
        if (at == null) return this;
        return new PodSightings(forgotten, forgottenOrder, nextForgotten, flagged.minus(key(node, pod)), flaggedOrder.minus(at), nextFlagged);
    }

    private static String key(String node, String pod) { return node + "/" + pod; }
}
