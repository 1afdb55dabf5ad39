package dev.berth.node.image;

/** One line of {@code berth image ls}: a reference, its digest, its image id and size on the node. */
public record ImageSummary(String reference, String digest, String id, long size) {}
