package dev.berth.node.core;

import dev.berth.bus.contract.Namespaces;

/**
 * A container's /etc/resolv.conf under Kubernetes' dnsPolicy ClusterFirst: the cluster DNS as the only
 * nameserver, the pod's namespace first in the search list (so {@code web} is the Service of the pod's own
 * namespace, {@code web.shop} the one in shop), and ndots:5 so short names try the search list before the root.
 * Pure.
 */
public final class ResolvConf {
    public static final String CLUSTER_DOMAIN = "cluster.local";

    private ResolvConf() {}

    public static String of(String nameserver, String namespace) {
        String ns = Namespaces.orDefault(namespace);
        return "# written by the Berth node agent: the cluster DNS (docs/dns.md)\n"
                + "nameserver " + nameserver + "\n"
                + "search " + ns + ".svc." + CLUSTER_DOMAIN + " svc." + CLUSTER_DOMAIN + " " + CLUSTER_DOMAIN + "\n"
                + "options ndots:5\n";
    }
}
