package dev.berth.controller.core;

/**
 * What {@link Intruders} needs beyond the pods the controller holds: the names of pods it let go of
 * (deleted or lost: their nodes may still report them for a while, which is no intrusion), and the
 * pods it already flagged on each node (one {@code PodIntruderFound} per pod and node, not one per
 * report). Both are bounded, oldest dropped first; persistent like the rest of the state.
 *
 * <p>Past {@link #FORGOTTEN_MAX} removed pods, a very late report of the oldest is taken for an
 * intruder and stopped — which its node should have done anyway.
 */
public record PodSightings(RecentNames forgotten, RecentNames flagged) {

    public static final int FORGOTTEN_MAX = 100_000;
    public static final int FLAGGED_MAX = 10_000;
    public static final PodSightings NONE = new PodSightings(RecentNames.of(FORGOTTEN_MAX), RecentNames.of(FLAGGED_MAX));

    public boolean wasForgotten(String pod) { return forgotten.contains(pod); }

    public boolean flagged(String node, String pod) { return flagged.contains(key(node, pod)); }

    public int forgottenCount() { return forgotten.size(); }

    public int flaggedCount() { return flagged.size(); }

    PodSightings forget(String pod) { return new PodSightings(forgotten.plus(pod), flagged); }

    /** A name the controller creates again (never, as names carry serials; but a rebuilt log may say so) is no longer forgotten. */
    PodSightings remember(String pod) { return new PodSightings(forgotten.minus(pod), flagged); }

    PodSightings flag(String node, String pod) { return new PodSightings(forgotten, flagged.plus(key(node, pod))); }

    /** The node reported the flagged pod stopped: should it ever come back, it is flagged again. */
    PodSightings unflag(String node, String pod) { return new PodSightings(forgotten, flagged.minus(key(node, pod))); }

    private static String key(String node, String pod) { return node + "/" + pod; }
}
