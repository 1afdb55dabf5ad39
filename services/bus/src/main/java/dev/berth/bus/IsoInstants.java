package dev.berth.bus;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * ISO-8601 instants in the form {@link Instant#toString} writes ({@code 2026-11-27T10:00:00.123456Z}),
 * read and written by hand: {@link DateTimeFormatter} costs about a microsecond and 1.8 kB per parse,
 * and every record carries at least one instant. Anything outside the plain form (years beyond
 * 0000..9999, offsets, lower case, leap seconds, invalid dates) goes to {@code DateTimeFormatter.ISO_INSTANT},
 * so results and errors are those of {@link Instant#parse} and {@link Instant#toString}.
 */
final class IsoInstants {
    private IsoInstants() {}

    private static final long FIRST_FAST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST_FAST_SECOND = LocalDate.of(9999, 12, 31).toEpochDay() * 86_400 + 86_399;

    /** Same as {@link Instant#parse}. */
    static Instant parse(CharSequence text) {
        Instant plain = parsePlain(text);
        return plain != null ? plain : Instant.parse(text);
    }

    /** The instant of {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null for any other text. */
    static Instant parsePlain(CharSequence s) {
        int length = s.length();
        if (length < 20 || length > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(length - 1) != 'Z') return null;
        int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
        int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) return null;
        int nano = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            if (s.charAt(19) != '.' || fractionDigits == 0) return null;
            int fraction = digits(s, 20, length - 1);
            if (fraction < 0) return null;
            nano = fraction * POWERS_OF_TEN[9 - fractionDigits];
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException invalidDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600 + minute * 60 + second, nano);
    }

    /** Same text as {@link Instant#toString}: the fraction in groups of three digits, only as long as needed. */
    static String format(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        if (epochSecond < FIRST_FAST_SECOND || epochSecond > LAST_FAST_SECOND) return DateTimeFormatter.ISO_INSTANT.format(instant);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400));
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        int nano = instant.getNano();
        int fractionDigits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1000 == 0 ? 6 : 9;
        byte[] text = new byte[fractionDigits == 0 ? 20 : 21 + fractionDigits];
        put(text, 0, 4, date.getYear());
        text[4] = '-';
        put(text, 5, 7, date.getMonthValue());
        text[7] = '-';
        put(text, 8, 10, date.getDayOfMonth());
        text[10] = 'T';
        put(text, 11, 13, secondOfDay / 3600);
        text[13] = ':';
        put(text, 14, 16, secondOfDay / 60 % 60);
        text[16] = ':';
        put(text, 17, 19, secondOfDay % 60);
        if (fractionDigits > 0) {
            text[19] = '.';
            put(text, 20, 20 + fractionDigits, nano / POWERS_OF_TEN[9 - fractionDigits]);
        }
        text[text.length - 1] = 'Z';
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    /** The decimal number in s[from, to), or -1 if any char there is not an ASCII digit. */
    private static int digits(CharSequence s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int digit = s.charAt(i) - '0';
            if (digit < 0 || digit > 9) return -1;
            value = value * 10 + digit;
        }
        return value;
    }

    /** Writes value into text[from, to) as decimal digits, zero-padded on the left. */
    private static void put(byte[] text, int from, int to, int value) {
        for (int i = to - 1; i >= from; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
