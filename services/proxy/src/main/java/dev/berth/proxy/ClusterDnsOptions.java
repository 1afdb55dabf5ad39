package dev.berth.proxy;

import dev.berth.proxy.core.Validation;
import java.util.regex.Pattern;

/**
 * The cluster DNS a proxy answers (docs/dns.md): pods' resolv.conf names {@code address} as their nameserver.
 *
 * @param address an IPv4 address inside the service CIDR that no Service gets (the controller's allocator keeps
 *                10.96.0.10 free, kubeadm's kube-dns address); the proxy adds it to its cluster-IP interface
 * @param port    53; another only in tests
 * @param domain  the cluster domain, Kubernetes' {@code cluster.local}
 */
public record ClusterDnsOptions(String address, int port, String domain) {
    /** Before DEFAULT: static fields initialise in order. */
    private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?){0,3}");
    public static final String DEFAULT_ADDRESS = "10.96.0.10";
    public static final String CLUSTER_DOMAIN = "cluster.local";
    public static final ClusterDnsOptions DEFAULT = new ClusterDnsOptions(DEFAULT_ADDRESS, 53, CLUSTER_DOMAIN);

    public ClusterDnsOptions {
        if (address == null || !Validation.isIPv4(address)) throw new IllegalArgumentException("DNS address must be IPv4, not " + address);
        if (port < 0 || port > 65535) throw new IllegalArgumentException("DNS port must be 0-65535, not " + port);
        if (domain == null || !DOMAIN.matcher(domain).matches()) throw new IllegalArgumentException("bad cluster domain " + domain);
    }

    public ClusterDnsOptions withAddress(String a, int p) { return new ClusterDnsOptions(a, p, domain); }
}
