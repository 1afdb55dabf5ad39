package dev.berth.bus;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference as Docker and Kubernetes read it ({@code distribution/reference}'s
 * grammar and its {@code ParseNormalizedNamed}): {@code busybox}, {@code busybox:1.36},
 * {@code 127.0.0.1:5000/team/app:v2}, {@code app@sha256:<64 hex>}. Names without a registry are
 * Docker Hub's ({@code docker.io}), and single-component Hub names live under {@code library/}. A
 * reference with neither tag nor digest means tag {@code latest}.
 *
 * <p>Pure syntax: whether the image exists is the node's business.
 *
 * @param domain registry host, optionally with {@code :port} ({@code docker.io} by default)
 * @param path   repository path inside the registry, e.g. {@code library/busybox}
 * @param tag    tag, or null when only a digest was given
 * @param digest {@code algorithm:hex}, or null
 */
public record ImageReference(String domain, String path, String tag, String digest) {

    public static final String DEFAULT_DOMAIN = "docker.io";
    /** Where Docker Hub's registry API actually answers. */
    public static final String DOCKER_HUB_REGISTRY = "registry-1.docker.io";
    public static final String DEFAULT_TAG = "latest";
    /** distribution/reference's NameTotalLengthMax. */
    public static final int MAX_NAME_LENGTH = 255;
    /** Whole reference, including tag and digest: a bound on input, not part of Docker's grammar. */
    public static final int MAX_LENGTH = 512;

    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[_.]|__|[-]+)";
    private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6 = "\\[[a-fA-F0-9:]+\\]";
    private static final String HOST = "(?:" + DOMAIN_NAME + "|" + IPV6 + ")";
    private static final Pattern DOMAIN = Pattern.compile(HOST + "(?::[0-9]+)?");
    private static final Pattern PATH = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

    public ImageReference {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(path, "path");
        if (tag == null && digest == null) throw new IllegalArgumentException("a reference needs a tag or a digest");
    }

    /** Parses and normalises, or throws {@link IllegalArgumentException} saying what is wrong. */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty()) throw invalid(text, "empty reference");
        if (text.length() > MAX_LENGTH) throw invalid(text.substring(0, 64) + "…", "longer than " + MAX_LENGTH + " characters");
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = validDigest(text, rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) { // a colon before the last slash belongs to host:port
            tag = rest.substring(colon + 1);
            if (!TAG.matcher(tag).matches()) throw invalid(text, "invalid tag \"" + tag + "\"");
            rest = rest.substring(0, colon);
        }
        if (rest.isEmpty()) throw invalid(text, "empty name");
        if (rest.length() > MAX_NAME_LENGTH) throw invalid(text, "repository name longer than " + MAX_NAME_LENGTH + " characters");

        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        // Docker's splitDockerDomain: the first component is a registry only if it looks like one.
        if (slash < 0 || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.toLowerCase(Locale.ROOT).equals(first))) {
            domain = DEFAULT_DOMAIN;
            path = rest;
        } else {
            domain = first;
            path = rest.substring(slash + 1);
            if (!DOMAIN.matcher(domain).matches()) throw invalid(text, "invalid registry host \"" + domain + "\"");
        }
        if (domain.equals("index.docker.io")) domain = DEFAULT_DOMAIN;
        if (!path.toLowerCase(Locale.ROOT).equals(path)) throw invalid(text, "repository name must be lowercase");
        if (!PATH.matcher(path).matches()) throw invalid(text, "invalid repository name \"" + path + "\"");
        if (HEX64.matcher(path).matches()) {
            throw invalid(text, "a repository name cannot be a 64-character hexadecimal string (an image id)");
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) path = "library/" + path;
        if (tag == null && digest == null) tag = DEFAULT_TAG;
        return new ImageReference(domain, path, tag, digest);
    }

    /** Null when {@code text} is a valid reference, else why not: for validating commands without exceptions. */
    public static String problem(String text) {
        try {
            parse(text);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String validDigest(String text, String digest) {
        Matcher m = DIGEST.matcher(digest);
        if (!m.matches()) throw invalid(text, "invalid digest \"" + digest + "\"");
        int expected = switch (m.group(1)) {
            case "sha256" -> 64;
            case "sha384" -> 96;
            case "sha512" -> 128;
            default -> throw invalid(text, "unsupported digest algorithm \"" + m.group(1) + "\"");
        };
        String hex = m.group(2);
        if (hex.length() != expected || !hex.equals(hex.toLowerCase(Locale.ROOT))) {
            throw invalid(text, "invalid " + m.group(1) + " digest: want " + expected + " lowercase hex characters");
        }
        return digest;
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid image reference \"" + text + "\": " + why);
    }

    /** {@code domain/path}, e.g. {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** The host the registry API is served from (Docker Hub's differs from its name). */
    public String registryHost() {
        return domain.equals(DEFAULT_DOMAIN) ? DOCKER_HUB_REGISTRY : domain;
    }

    /** What to ask the registry's manifest endpoint for: the digest when pinned, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** Kubernetes' default pull policy rule: {@code :latest} (or no tag and no digest) pulls Always. */
    public boolean isLatest() {
        return digest == null && DEFAULT_TAG.equals(tag);
    }

    /** Same repository and tag, without the digest. */
    public ImageReference withoutDigest() {
        return digest == null ? this : new ImageReference(domain, path, tag == null ? DEFAULT_TAG : tag, null);
    }

    /** The short form Docker prints: {@code busybox:1.36} for {@code docker.io/library/busybox:1.36}. */
    public String familiar() {
        String n = name();
        if (domain.equals(DEFAULT_DOMAIN)) n = path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        return suffixed(n);
    }

    /** The fully qualified form, e.g. {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return suffixed(name());
    }

    private String suffixed(String n) {
        return n + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
