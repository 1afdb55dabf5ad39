package dev.berth.controller.core;

import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodIntruderFound;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.Optional;

/**
 * A pod on a node that the controller never created is an intruder, not noise: a placement record that
 * did not come from the scheduler's work for the controller's pods (a forged one, written by anyone
 * able to write berth.placements), or a container a node runs without any placement. Decided against
 * the state before the record is applied; the answer is a {@link PodIntruderFound} on berth.nodes,
 * which the node's agent obeys by stopping the pod and refusing its name.
 *
 * <p>Not intruders: pods the controller let go of ({@link PodSightings#wasForgotten}), whose nodes may
 * still report them until the release reaches them; a report of a stopped container; a pod already
 * flagged on that node.
 */
public final class Intruders {
    private Intruders() {}

    public static Optional<PodIntruderFound> check(ControllerState s, Event event) {
        if (event instanceof PodPlaced p && p.node() == null || event instanceof PodStatusChanged r && r.node() == null) {
            return Optional.empty(); // the door refuses these; nothing to key an answer by
        }
        if (event instanceof PodPlaced p) return placed(s, p);
        if (event instanceof PodStatusChanged r) return reported(s, r);
        return Optional.empty();
    }

    private static Optional<PodIntruderFound> placed(ControllerState s, PodPlaced p) {
        if (s.pod(p.pod()).isPresent() || s.sightings().wasForgotten(p.pod()) || s.sightings().flagged(p.node(), p.pod())) {
            return Optional.empty();
        }
        return Optional.of(new PodIntruderFound(p.node(), p.pod(), PodIntruderFound.BY_PLACEMENT, null,
                "pod " + p.pod() + " was placed on node " + p.node() + ", but the controller never created it"));
    }

    private static Optional<PodIntruderFound> reported(ControllerState s, PodStatusChanged r) {
        if (r.state() == ContainerState.Stopped || s.sightings().flagged(r.node(), r.pod())) return Optional.empty();
        Optional<PodRecord> known = s.pod(r.pod());
        if (known.isEmpty()) {
            if (s.sightings().wasForgotten(r.pod())) return Optional.empty();
            return Optional.of(new PodIntruderFound(r.node(), r.pod(), PodIntruderFound.BY_STATUS, r.state(),
                    "pod " + r.pod() + " is reported " + r.state() + " by node " + r.node() + ", but the controller never created it"));
        }
        PodRecord pod = known.get();
        if (pod.node() == null || pod.isOn(r.node())) return Optional.empty();
        return Optional.of(new PodIntruderFound(r.node(), r.pod(), PodIntruderFound.BY_STATUS, r.state(),
                "pod " + r.pod() + " is reported " + r.state() + " by node " + r.node() + ", but the controller placed it on node " + pod.node()));
    }
}
