package dev.berth.controller.core;

import java.util.Optional;

/**
 * Node IPAM, like Kubernetes' range allocator: every node gets a pod CIDR, a block of the cluster CIDR
 * (default {@value #DEFAULT_CLUSTER_CIDR}, a /{@value #DEFAULT_NODE_MASK} per node), which its CNI config
 * hands out addresses from. Pure and immutable: the lowest free block goes to the node asking, so nodes
 * allocated in the order they are first seen get blocks 0, 1, 2…; a node keeps its block as long as it
 * exists (Berth nodes are never deleted; {@link #release} is for when they are). Rebuilt from the
 * node statuses on berth.nodes with {@link #restore}, so a restarted controller keeps every node's block
 * whatever order it hears the nodes in next.
 */
public record PodCidrAllocator(Ipv4Range cluster, int nodeMask, AllocationSlots<String> blocks) {
    public static final String DEFAULT_CLUSTER_CIDR = "10.244.0.0/16";
    public static final int DEFAULT_NODE_MASK = 24;
    /** A block must leave room for a network address, a gateway, at least one pod and a broadcast. */
    public static final int MAX_NODE_MASK = 30;
    /** Kubernetes refuses cluster CIDRs giving more than 2^16 node blocks; so does Berth (bounds the state). */
    public static final int MAX_BLOCK_BITS = 16;

    public PodCidrAllocator {
        if (nodeMask < cluster.prefix()) throw new IllegalArgumentException("node mask /" + nodeMask + " is larger than the cluster CIDR " + cluster);
        if (nodeMask > MAX_NODE_MASK) throw new IllegalArgumentException("node mask /" + nodeMask + " leaves no room for pods (at most /" + MAX_NODE_MASK + ")");
        if (nodeMask - cluster.prefix() > MAX_BLOCK_BITS) {
            throw new IllegalArgumentException("cluster CIDR " + cluster + " with /" + nodeMask + " per node gives more than 2^" + MAX_BLOCK_BITS + " node blocks");
        }
    }

    public static PodCidrAllocator of(String clusterCidr, int nodeMask) {
        return new PodCidrAllocator(Ipv4Range.parse(clusterCidr), nodeMask, AllocationSlots.empty());
    }

    public static PodCidrAllocator defaults() { return of(DEFAULT_CLUSTER_CIDR, DEFAULT_NODE_MASK); }

    /** What an allocation or restore led to: the new allocator, and the node's CIDR or why it has none. */
    public record Outcome(PodCidrAllocator allocator, Optional<String> podCidr, Optional<String> reason, boolean changed) {
        static Outcome ok(PodCidrAllocator a, String cidr, boolean changed) { return new Outcome(a, Optional.of(cidr), Optional.empty(), changed); }
        static Outcome refused(PodCidrAllocator a, String reason) { return new Outcome(a, Optional.empty(), Optional.of(reason), false); }
    }

    /** Number of node blocks in the cluster CIDR. */
    public long capacity() { return 1L << (nodeMask - cluster.prefix()); }

    public int allocated() { return blocks.size(); }

    public Optional<String> podCidrOf(String node) { return blocks.slotOf(node).map(this::cidr); }

    /** The node's block: the one it holds, else the lowest free one; exhaustion is answered with a reason. */
    public Outcome allocate(String node) {
        Optional<Long> held = blocks.slotOf(node);
        if (held.isPresent()) return Outcome.ok(this, cidr(held.get()), false);
        Optional<Long> free = blocks.lowestFree(0, capacity());
        if (free.isEmpty()) {
            return Outcome.refused(this, "CIDRNotAvailable: no pod CIDR left for node " + node + ": all " + capacity()
                    + " /" + nodeMask + " blocks of cluster CIDR " + cluster + " are allocated");
        }
        return Outcome.ok(with(blocks.take(free.get(), node)), cidr(free.get()), true);
    }

    /**
     * Records a CIDR the controller published for a node (rebuild from berth.nodes). Refused, with the
     * reason, when it is not a block of this cluster CIDR (the configuration changed) or another node
     * holds it; a node published with a new block moves to it.
     */
    public Outcome restore(String node, String podCidr) {
        Ipv4Range r;
        try {
            r = Ipv4Range.parse(podCidr);
        } catch (IllegalArgumentException e) {
            return Outcome.refused(this, "pod CIDR " + podCidr + " of node " + node + " is not a CIDR: " + e.getMessage());
        }
        if (r.prefix() != nodeMask || !cluster.contains(r.network())) {
            return Outcome.refused(this, "pod CIDR " + podCidr + " of node " + node + " is not a /" + nodeMask + " block of cluster CIDR " + cluster);
        }
        long index = cluster.offsetOf(r.network()) >>> (32 - nodeMask);
        Optional<String> holder = blocks.ownerOf(index);
        if (holder.isPresent() && !holder.get().equals(node)) {
            return Outcome.refused(this, "pod CIDR " + podCidr + " of node " + node + " is already allocated to node " + holder.get());
        }
        if (holder.isPresent()) return Outcome.ok(this, podCidr, false);
        return Outcome.ok(with(blocks.take(index, node)), r.toString(), true);
    }

    /** Frees the node's block (for when nodes can be deleted). */
    public PodCidrAllocator release(String node) { return with(blocks.release(node)); }

    private String cidr(long index) { return cluster.block(index, nodeMask).toString(); }

    private PodCidrAllocator with(AllocationSlots<String> b) { return new PodCidrAllocator(cluster, nodeMask, b); }
}
