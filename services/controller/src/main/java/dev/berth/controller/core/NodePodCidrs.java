package dev.berth.controller.core;

/**
 * Which pod CIDR a node gets, decided on the controller's state: the blocks already published (each
 * {@link NodeRecord#podCIDR}, put there only by the NodeStatusChanged applier, so a rebuilt controller
 * knows them) are taken, and a node without one gets the lowest free block of the configured cluster
 * CIDR. Deterministic: the same state gives the same blocks. The allocator is built from the state
 * only when some node lacks a block, so a settled cluster pays nothing per check.
 */
public final class NodePodCidrs {
    /** How a status announces that no block was left (Kubernetes' CIDRNotAvailable node event). */
    public static final String NOT_AVAILABLE = "CIDRNotAvailable";

    private final PodCidrAllocator configured;
    private PodCidrAllocator current;

    private NodePodCidrs(PodCidrAllocator configured) { this.configured = configured; }

    /** One decision's view: allocations made in it are seen by the next node of the same decision. */
    static NodePodCidrs of(PodCidrAllocator configured) { return configured == null ? null : new NodePodCidrs(configured); }

    /** Whether a published reason says the node got no block. */
    public static boolean refused(String reason) { return reason != null && reason.contains(NOT_AVAILABLE); }

    /** The node's block, or the reason it has none. */
    PodCidrAllocator.Outcome allocate(ControllerState state, String node) {
        if (current == null) {
            PodCidrAllocator a = configured;
            for (NodeRecord n : state.nodes().values()) {
                // A block of another cluster CIDR (the option changed) stays the node's; it is not in this range.
                if (n.podCIDR() != null) a = a.restore(n.name(), n.podCIDR()).allocator();
            }
            current = a;
        }
        PodCidrAllocator.Outcome o = current.allocate(node);
        current = o.allocator();
        return o;
    }
}
