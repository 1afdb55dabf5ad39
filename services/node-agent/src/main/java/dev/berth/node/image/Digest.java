package dev.berth.node.image;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A sha256 content digest, {@code sha256:<64 lowercase hex>}: the only algorithm the store keeps. */
public record Digest(String hex) {

    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) throw new IllegalArgumentException("not a sha256 hex digest: " + hex);
    }

    /** Parses {@code sha256:<hex>}; anything else (other algorithms, bad hex) is refused with the reason. */
    public static Digest parse(String text) {
        if (text == null || !text.startsWith("sha256:")) {
            throw new IllegalArgumentException("unsupported digest \"" + text + "\": only sha256 is supported");
        }
        return new Digest(text.substring(7));
    }

    public static Digest of(byte[] content) {
        return from(sha256().digest(content));
    }

    static Digest from(MessageDigest finished) {
        return from(finished.digest());
    }

    private static Digest from(byte[] raw) {
        return new Digest(HexFormat.of().formatHex(raw));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }
}
