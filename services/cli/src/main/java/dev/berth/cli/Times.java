package dev.berth.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Points in time on the command line: ISO instants ({@code 2026-11-27T10:00:00Z}), local date-times, or relative ({@code -10m}, {@code 90s}). */
final class Times {
    private Times() {}

    private static final Pattern RELATIVE = Pattern.compile("-?(\\d+)(ms|s|m|h|d)");

    static Instant parse(String text, Instant now) {
        Matcher m = RELATIVE.matcher(text.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not a time: '" + text + "' (use 2026-11-27T10:00:00Z, 2026-11-27T10:00 or -10m)");
            }
        }
    }
}
