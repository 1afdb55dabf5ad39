package dev.berth.bus;

import java.util.List;

/**
 * Bounded pieces of untrusted input: what answers and dead letters may echo. A record can be as large
 * as the broker allows; an answer that echoed it whole could itself be too large to publish. The
 * cutting rule is {@link Limits#excerpt}'s (the result never exceeds its bound); these are the bounds.
 */
public final class Excerpt {
    private Excerpt() {}

    /** What a dead letter keeps of the record it sets aside. */
    public static final int DEAD_LETTER_CHARS = 2048;
    /** What an answer (a rejection's reason or one of its problems) echoes of the input. */
    public static final int ANSWER_CHARS = 512;

    /** At most {@code max} chars of {@code s}, marked when cut; null stays null. */
    public static String of(String s, int max) { return Limits.excerpt(s, max); }

    /** At most {@link Limits#PROBLEMS_MAX_ITEMS} problems (the last says how many more), each at most {@link #ANSWER_CHARS}. */
    public static List<String> problems(List<String> problems) {
        return Limits.boundedProblems(problems == null ? null : problems.stream().map(p -> of(p, ANSWER_CHARS)).toList());
    }
}
