package dev.berth.node.image;

import dev.berth.bus.ImageReference;
import java.nio.file.Path;
import java.util.List;

/**
 * An image present on the node.
 *
 * @param digest the repository digest (what {@code name@digest} pulls: an index's digest for multi-platform
 *               images); Kubernetes' containerStatuses[].imageID is {@code name@digest}
 * @param id     the config's digest, Docker's image id
 * @param layers unpacked layer directories, bottom first
 * @param size   bytes of the image's blobs as stored (compressed layers + config)
 */
public record ImageHandle(ImageReference reference, Digest digest, Digest id, ImageConfig config, List<Path> layers,
                          long size) {
    public ImageHandle {
        layers = List.copyOf(layers);
    }

    /** Kubernetes' imageID form: {@code docker.io/library/busybox@sha256:...}. */
    public String imageId() {
        return reference.name() + "@" + digest;
    }
}
