package dev.berth.bus.contract;

import java.util.List;

/**
 * An image in a node's store, as Kubernetes' NodeStatus.images lists it.
 *
 * @param names     its references, then {@code repo@sha256:…}
 * @param sizeBytes compressed size of its config and layers, as pulled
 */
public record ContainerImage(List<String> names, long sizeBytes) {
    public ContainerImage {
        names = names == null ? List.of() : List.copyOf(names);
    }
}
