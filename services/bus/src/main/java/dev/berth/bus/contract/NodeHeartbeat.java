package dev.berth.bus.contract;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node agent's periodic report.
 *
 * @param capacity    the whole machine (or its configured share)
 * @param allocatable capacity minus what running pods reserve
 * @param images      images in the node's local store
 * @param pods        pods the agent currently runs
 * @param startedAt   when this agent process started (a change means the agent restarted)
 * @param labels      the node's labels from its configuration, e.g. {@code topology.kubernetes.io/zone=a}
 * @param taints      the node's taints from its configuration: pods without a matching toleration stay away
 * @param containerImages the images in the node's store with their names and sizes, largest first, at most
 *                    {@link #MAX_IMAGES} (the kubelet's nodeStatusMaxImages); absent in older logs
 */
public record NodeHeartbeat(String node, NodeResources capacity, NodeResources allocatable,
                            List<String> images, List<String> pods, long sequence, Instant startedAt,
                            Map<String, String> labels, List<Taint> taints, List<ContainerImage> containerImages)
        implements NodeEvent {
    public static final int MAX_IMAGES = 50;

    public NodeHeartbeat {
        containerImages = containerImages == null ? List.of() : List.copyOf(containerImages);
        images = images == null ? List.of() : List.copyOf(images);
        pods = pods == null ? List.of() : List.copyOf(pods);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        taints = taints == null ? List.of() : List.copyOf(taints);
    }

    /** A heartbeat of a node without labels or taints. */
    public NodeHeartbeat(String node, NodeResources capacity, NodeResources allocatable, List<String> images,
                         List<String> pods, long sequence, Instant startedAt) {
        this(node, capacity, allocatable, images, pods, sequence, startedAt, null, null, null);
    }

    public NodeHeartbeat(String node, NodeResources capacity, NodeResources allocatable, List<String> images,
                         List<String> pods, long sequence, Instant startedAt, Map<String, String> labels, List<Taint> taints) {
        this(node, capacity, allocatable, images, pods, sequence, startedAt, labels, taints, null);
    }

    /** This heartbeat carrying the node's configured labels and taints. */
    public NodeHeartbeat withLabelsAndTaints(Map<String, String> nodeLabels, List<Taint> nodeTaints) {
        return new NodeHeartbeat(node, capacity, allocatable, images, pods, sequence, startedAt, nodeLabels, nodeTaints,
                containerImages);
    }

    /** This heartbeat listing the node's images with their sizes: the largest {@link #MAX_IMAGES}. */
    public NodeHeartbeat withContainerImages(List<ContainerImage> all) {
        List<ContainerImage> largest = all.stream()
                .sorted(java.util.Comparator.comparingLong(ContainerImage::sizeBytes).reversed()).limit(MAX_IMAGES).toList();
        return new NodeHeartbeat(node, capacity, allocatable, images, pods, sequence, startedAt, labels, taints, largest);
    }
}
