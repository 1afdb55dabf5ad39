package dev.berth.bus;

import java.util.ArrayList;
import java.util.List;

/**
 * Bounded pieces of untrusted input: what answers and dead letters may echo. A record can be as large
 * as the broker allows; an answer that echoed it whole could itself be too large to publish.
 */
public final class Excerpt {
    private Excerpt() {}

    /** What a dead letter keeps of the record it sets aside. */
    public static final int DEAD_LETTER_CHARS = 2048;
    /** What an answer (a rejection's reason or one of its problems) echoes of the input. */
    public static final int ANSWER_CHARS = 512;
    public static final int ANSWER_PROBLEMS = 20;

    /** At most {@code max} chars of {@code s} (never splitting a surrogate pair), marked when cut; null stays null. */
    public static String of(String s, int max) {
        if (s == null || s.length() <= max) return s;
        int end = max;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end) + "… (" + (s.length() - end) + " more chars)";
    }

    /** At most {@link #ANSWER_PROBLEMS} problems of at most {@link #ANSWER_CHARS} chars each. */
    public static List<String> problems(List<String> problems) {
        if (problems == null) return List.of();
        List<String> out = new ArrayList<>(Math.min(problems.size(), ANSWER_PROBLEMS + 1));
        for (int i = 0; i < problems.size() && i < ANSWER_PROBLEMS; i++) out.add(of(problems.get(i), ANSWER_CHARS));
        if (problems.size() > ANSWER_PROBLEMS) out.add("… and " + (problems.size() - ANSWER_PROBLEMS) + " more problems");
        return out;
    }
}
