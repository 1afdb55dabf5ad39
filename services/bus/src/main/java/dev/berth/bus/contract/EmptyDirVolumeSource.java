package dev.berth.bus.contract;

/**
 * An {@code emptyDir} volume: a directory the pod's containers share, empty when the pod starts on the node and
 * removed with the pod.
 *
 * @param medium    "" (the node's disk) or "Memory" (a tmpfs)
 * @param sizeLimit bytes; null: none
 */
public record EmptyDirVolumeSource(String medium, Long sizeLimit) {
    public static final String MEMORY = "Memory";

    public EmptyDirVolumeSource {
        medium = medium == null ? "" : medium;
    }
}
