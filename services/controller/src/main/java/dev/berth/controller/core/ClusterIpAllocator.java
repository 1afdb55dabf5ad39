package dev.berth.controller.core;

import java.util.Optional;

/**
 * Service cluster IPs from the service CIDR (default {@value #DEFAULT_SERVICE_CIDR}), like Kubernetes'
 * allocator: the network and broadcast addresses are never given, the first address is the
 * {@code default/kubernetes} Service's, the tenth is the cluster DNS's ({@value #DNS_OFFSET}: kubeadm's kube-dns
 * convention; Berth's per-node proxies answer DNS there, so no Service ever gets it), a requested IP is honoured when free and inside the range, and
 * otherwise rejected with Kubernetes' message. Chosen IPs are taken from the upper band first, as
 * Kubernetes does (KEP-3070), leaving the lower band to Services that ask for a fixed address; within a
 * band the lowest free address goes, so replaying the same Services gives the same IPs. Pure, immutable.
 */
public record ClusterIpAllocator(Ipv4Range range, AllocationSlots<String> ips) {
    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/12";
    public static final String KUBERNETES_SERVICE = "default/kubernetes";
    /** Headless Services ask for no IP. */
    public static final String NONE = "None";
    /** The cluster DNS address's offset in the range (10.96.0.10): never handed out, never granted on request. */
    public static final long DNS_OFFSET = 10;

    public ClusterIpAllocator {
        if (range.prefix() > 28) throw new IllegalArgumentException("service CIDR " + range + " is too small (at most /28)");
        if (range.prefix() < 12) throw new IllegalArgumentException("service CIDR " + range + " is too large (at least /12, as Kubernetes)");
    }

    public static ClusterIpAllocator of(String serviceCidr) {
        return new ClusterIpAllocator(Ipv4Range.parse(serviceCidr), AllocationSlots.<String>empty());
    }

    public static ClusterIpAllocator defaults() { return of(DEFAULT_SERVICE_CIDR); }

    public record Outcome(ClusterIpAllocator allocator, Optional<String> clusterIP, Optional<String> reason) {
        static Outcome ok(ClusterIpAllocator a, String ip) { return new Outcome(a, Optional.of(ip), Optional.empty()); }
        static Outcome rejected(ClusterIpAllocator a, String reason) { return new Outcome(a, Optional.empty(), Optional.of(reason)); }
    }

    /** The kubernetes Service's address: the range's first usable one (10.96.0.1). */
    public String kubernetesServiceIP() { return range.address(1); }

    /** The cluster DNS address (10.96.0.10 by default): pods' resolv.conf nameserver, served by the proxy. */
    public String dnsIP() { return range.address(DNS_OFFSET); }

    /** Usable addresses: the range minus network, broadcast and the cluster DNS address. */
    public long capacity() { return range.size() - 3; }

    public int allocated() { return ips.size(); }

    public Optional<String> clusterIpOf(String service) { return ips.slotOf(service).map(range::address); }

    /** Lower band size (KEP-3070): min(max(16, size/16), 256). */
    long staticBand() { return Math.min(Math.max(16, range.size() / 16), 256); }

    /**
     * The Service's cluster IP. {@code requested} null or empty: the one it holds, else a free one; "None":
     * headless, holds nothing; an address: that one, if inside the range and free (or already this Service's).
     * A Service that asks for another address than the one it holds moves to it, like a re-created Service.
     */
    public Outcome assign(String service, String requested) {
        if (requested != null && requested.equals(NONE)) return Outcome.ok(with(ips.release(service)), NONE);
        if (requested == null || requested.isEmpty()) {
            Optional<Long> held = ips.slotOf(service);
            if (held.isPresent()) return Outcome.ok(this, range.address(held.get()));
            if (service.equals(KUBERNETES_SERVICE)) return Outcome.ok(with(ips.take(1, service)), range.address(1)); // reserved: always free
            Optional<Long> free = lowestFree(staticBand(), range.size() - 1).or(() -> lowestFree(2, Math.min(staticBand(), range.size() - 1)));
            if (free.isEmpty()) {
                return Outcome.rejected(this, "Internal error: failed to allocate a serviceIP: range is full (" + capacity() + " addresses of " + range + ")");
            }
            return Outcome.ok(with(ips.take(free.get(), service)), range.address(free.get()));
        }
        long address;
        try {
            address = Ipv4Range.parseAddress(requested);
        } catch (IllegalArgumentException e) {
            return Outcome.rejected(this, "spec.clusterIP: Invalid value: \"" + requested + "\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
        }
        long offset = range.offsetOf(address);
        if (!range.contains(address) || offset == 0 || offset == range.size() - 1) {
            return Outcome.rejected(this, "spec.clusterIP: Invalid value: \"" + requested + "\": provided IP is not in the valid range. The range of valid IPs is " + range);
        }
        if (offset == 1 && !service.equals(KUBERNETES_SERVICE) || offset == DNS_OFFSET || ips.ownerOf(offset).filter(o -> !o.equals(service)).isPresent()) {
            return Outcome.rejected(this, "spec.clusterIP: Invalid value: \"" + requested + "\": provided IP is already allocated");
        }
        return Outcome.ok(with(ips.take(offset, service)), requested);
    }

    /** The lowest free address in [from, to) that is not the cluster DNS's. */
    private Optional<Long> lowestFree(long from, long to) {
        Optional<Long> free = ips.lowestFree(from, to);
        return free.isPresent() && free.get() == DNS_OFFSET ? ips.lowestFree(DNS_OFFSET + 1, to) : free;
    }

    /** Frees the Service's IP (the Service was deleted). */
    public ClusterIpAllocator release(String service) { return with(ips.release(service)); }

    private ClusterIpAllocator with(AllocationSlots<String> s) { return new ClusterIpAllocator(range, s); }
}
