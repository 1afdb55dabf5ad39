package dev.berth.node.image;

/**
 * Why an image cannot be had, with the Kubernetes waiting reason a pod shows for it:
 * {@code ErrImagePull} (the registry or the content said no), {@code ErrImageNeverPull},
 * {@code InvalidImageName}. The message names the registry's answer where there is one.
 */
public final class ImageException extends RuntimeException {

    public static final String ERR_IMAGE_PULL = "ErrImagePull";
    public static final String ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull";
    public static final String INVALID_IMAGE_NAME = "InvalidImageName";

    private final String reason;

    public ImageException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    static ImageException pull(String message) {
        return new ImageException(ERR_IMAGE_PULL, message);
    }

    static ImageException pull(String message, Throwable cause) {
        return new ImageException(ERR_IMAGE_PULL, message, cause);
    }

    /** The waiting reason: ErrImagePull, ErrImageNeverPull or InvalidImageName. */
    public String reason() {
        return reason;
    }
}
