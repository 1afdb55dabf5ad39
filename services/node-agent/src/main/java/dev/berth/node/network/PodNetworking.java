package dev.berth.node.network;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;

/**
 * What the node agent needs of pod networking, so real nodes ({@link PodNetworks}: namespaces + CNI) and
 * hollow nodes ({@link InMemoryPodNetworking}: addresses only) share the agent's code. Calls block.
 */
public interface PodNetworking {
    /** Wires the pod (or adopts its existing wiring) before its first container starts. */
    PodNetwork setUp(String pod, List<PortMapping> ports) throws CniException, IOException;

    /**
     * The pod's wiring as last set up, without running any plugin (cache + namespace present): for a
     * container restart inside a running pod, which keeps the pod's network and needs no CNI call.
     */
    java.util.Optional<PodNetwork> known(String pod) throws IOException;

    /** Unwires the pod after its last container is removed; idempotent. */
    void tearDown(String pod) throws CniException, IOException;

    /** The path the pod's OCI config names as its network namespace. */
    Path netnsPath(String pod);

    /** Pods with wiring on this node (to find leftovers after a restart). */
    SortedSet<String> pods() throws IOException;

    /** Unwires everything of this node (the node stops for good); returns what failed. */
    List<Exception> tearDownAll();
}
