package dev.berth.bus.labels;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kubernetes' rules for label keys and values (apimachinery validation: a qualified name with an
 * optional DNS-subdomain prefix; a value of at most 63 characters). Every check answers with the
 * reason, in Kubernetes' words, or empty when the input is fine.
 */
public final class Labels {
    private Labels() {}

    public static final int MAX_NAME = 63;
    public static final int MAX_PREFIX = 253;
    public static final int MAX_VALUE = 63;
    /** A bound of our own: Kubernetes limits the labels' total size (256 KiB of metadata), Berth their count. */
    public static final int MAX_LABELS = 64;

    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Why {@code key} is not a label key, e.g. {@code app.kubernetes.io/name} and {@code app} are. */
    public static Optional<String> checkKey(String key) {
        if (key == null || key.isEmpty()) return Optional.of("a label key must not be empty");
        int slash = key.indexOf('/');
        String name = key;
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            if (prefix.isEmpty()) return Optional.of("label key '" + excerpt(key) + "': prefix part must be non-empty");
            if (prefix.length() > MAX_PREFIX) return Optional.of("label key prefix must be no more than 253 characters");
            if (!DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("label key '" + excerpt(key) + "': prefix part a lowercase RFC 1123 subdomain must consist of"
                        + " lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
            }
        }
        if (name.isEmpty()) return Optional.of("label key '" + excerpt(key) + "': name part must be non-empty");
        if (name.length() > MAX_NAME) return Optional.of("label key '" + excerpt(key) + "': name part must be no more than 63 characters");
        if (!NAME.matcher(name).matches()) {
            return Optional.of("label key '" + excerpt(key) + "': name part must consist of alphanumeric characters, '-', '_' or '.',"
                    + " and must start and end with an alphanumeric character");
        }
        return Optional.empty();
    }

    /** Why {@code value} is not a label value; the empty value is one. */
    public static Optional<String> checkValue(String value) {
        if (value == null) return Optional.of("a label value must not be null");
        if (value.isEmpty()) return Optional.empty();
        if (value.length() > MAX_VALUE) return Optional.of("label value '" + excerpt(value) + "': must be no more than 63 characters");
        if (!NAME.matcher(value).matches()) {
            return Optional.of("label value '" + excerpt(value) + "': a valid label must be an empty string or consist of alphanumeric"
                    + " characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }
        return Optional.empty();
    }

    /** The first problem with a whole label map, or empty. */
    public static Optional<String> check(Map<String, String> labels) {
        if (labels == null) return Optional.empty();
        if (labels.size() > MAX_LABELS) return Optional.of("at most " + MAX_LABELS + " labels, got " + labels.size());
        for (Map.Entry<String, String> e : labels.entrySet()) {
            Optional<String> problem = checkKey(e.getKey()).or(() -> checkValue(e.getValue()));
            if (problem.isPresent()) return problem;
        }
        return Optional.empty();
    }

    /** At most 64 characters of {@code s}: an answer never echoes a hostile input whole. */
    static String excerpt(String s) { return s.length() <= 64 ? s : s.substring(0, 61) + "..."; }
}
