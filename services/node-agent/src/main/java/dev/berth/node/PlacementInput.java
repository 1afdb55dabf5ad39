package dev.berth.node;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.Envelope;
import dev.berth.bus.Json;
import dev.berth.bus.RawRecord;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.node.core.PlacementCheck;
import java.util.Optional;

/**
 * One record of berth.placements as a node sees it: a placement or release for it, someone else's
 * (skipped undecoded: every node reads the whole topic), or one to set aside with the reason — too
 * large, undecodable, of a type that does not belong on the topic, or failing {@link PlacementCheck}.
 * Shared by the node agent and the hollow nodes, so both meet bad records the same way.
 */
public sealed interface PlacementInput {
    /**
     * The largest placement record read, in characters (so at least as many bytes): a template within the
     * controller's limits makes a few KiB; anything near this is not the scheduler's.
     */
    int MAX_RECORD_CHARS = 256 * 1024;
    /** How much of a bad record goes on berth.dead-letters with its reason. */
    int EXCERPT_CHARS = 4 * 1024;

    record Placed(Envelope envelope, PodPlaced placement) implements PlacementInput {}

    record Released(Envelope envelope, PodReleased release) implements PlacementInput {}

    /** Another node's record. */
    record NotOurs() implements PlacementInput {}

    record Rejected(String reason) implements PlacementInput {}

    /** Reads {@code r} for {@code node}, or for whichever node its key names when {@code node} is null. */
    static PlacementInput read(RawRecord r, String node) {
        String key = r.key();
        if (key == null || key.isBlank()) return new Rejected("placement record without a key (the key names the node)");
        if (node != null && !node.equals(key)) return new NotOurs();
        if (r.value() != null && r.value().length() > MAX_RECORD_CHARS) {
            return new Rejected("record of " + r.value().length() + " characters is larger than the " + MAX_RECORD_CHARS
                    + " a placement may have; not decoded");
        }
        Envelope e;
        try {
            e = Json.decode(r.value());
        } catch (BadRecordException ex) {
            return new Rejected(ex.getMessage());
        } catch (RuntimeException ex) { // a codec bug must not stop the stream either
            return new Rejected("cannot decode: " + ex);
        }
        if (e.data() instanceof PodPlaced p) {
            Optional<String> problem = PlacementCheck.problem(p);
            if (problem.isPresent()) return new Rejected(problem.get());
            if (!p.node().equals(key)) return new Rejected("placement for node " + p.node() + " under the key of node " + key);
            return new Placed(e, p);
        }
        if (e.data() instanceof PodReleased rel) {
            Optional<String> problem = PlacementCheck.problem(rel);
            if (problem.isPresent()) return new Rejected(problem.get());
            if (!rel.node().equals(key)) return new Rejected("release for node " + rel.node() + " under the key of node " + key);
            return new Released(e, rel);
        }
        return new Rejected("unexpected " + e.type() + " on " + r.topic());
    }

    /** At most {@link #EXCERPT_CHARS} of a record's value, for its dead letter. */
    static String excerpt(String value) {
        if (value == null || value.length() <= EXCERPT_CHARS) return value;
        return value.substring(0, EXCERPT_CHARS) + "…(" + value.length() + " characters)";
    }
}
