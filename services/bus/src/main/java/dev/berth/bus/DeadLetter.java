package dev.berth.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;

/**
 * A record set aside on berth.dead-letters (keyed by its source topic), see schemas/DeadLetter.json:
 * where it was, who set it aside and why, and a bounded excerpt of it, never the whole value.
 *
 * @param size      the value's size in bytes
 * @param excerpt   the start of the value, at most {@link Excerpt#DEAD_LETTER_CHARS} chars once JSON-encoded (null for a null value)
 * @param truncated whether the excerpt is shorter than the value
 */
public record DeadLetter(String topic, int partition, long offset, String key, String consumer, String reason,
                         int size, String excerpt, boolean truncated, Instant time) {

    /** What a dead letter keeps of a record that is, or claims to be, a Secret: never its values. */
    public static final String SECRET_REDACTED = "(a Secret's record: its excerpt is left out so that no value is copied)";

    public static DeadLetter of(RawRecord record, String reason, String consumer, Instant now) {
        String value = record.value();
        boolean secret = value != null && mayHoldSecret(record);
        String excerpt = value == null ? null : secret ? SECRET_REDACTED : cut(value, Excerpt.DEAD_LETTER_CHARS);
        return new DeadLetter(record.topic(), record.partition(), record.offset(), Excerpt.of(record.key(), 256), consumer,
                Excerpt.of(reason, Excerpt.ANSWER_CHARS * 2), record.size(), excerpt,
                secret || value != null && excerpt.length() < value.length(), now);
    }

    /**
     * Whether the record is on berth.secrets or names a Secret payload type anywhere in it: a bad record is not parsed,
     * so this is a textual test that errs towards leaving the excerpt out.
     */
    static boolean mayHoldSecret(RawRecord record) {
        return Topic.SECRETS.topicName().equals(record.topic()) || record.value().contains("Secret");
    }

    /**
     * The longest prefix of {@code s} whose JSON encoding stays within {@code max} chars: control
     * characters (garbage bytes) encode as six, so counting raw chars would not bound the letter.
     */
    static String cut(String s, int max) {
        int cost = 0;
        int end = 0;
        while (end < s.length()) {
            char c = s.charAt(end);
            int next = c < 0x20 ? 6 : c == '"' || c == '\\' ? 2 : 1;
            if (cost + next > max) break;
            cost += next;
            end++;
        }
        if (end < s.length() && end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return end == s.length() ? s : s.substring(0, end);
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DeadLetter fromJson(String json) throws JsonProcessingException {
        return Json.MAPPER.readValue(json, DeadLetter.class);
    }
}
