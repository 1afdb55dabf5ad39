package dev.berth.node.image;

import java.nio.file.Path;

/**
 * A container's root filesystem: an overlay of its image's layers under its own writable upper dir,
 * or, where overlayfs cannot be mounted, a private copy (slower to make, same view). Writable either
 * way; gone with {@link ImageService#unmount}.
 *
 * @param why for a copy, why overlay was not used
 */
public record Rootfs(Path path, Path containerDir, Kind kind, String why) {
    public enum Kind { OVERLAY, COPY }
}
