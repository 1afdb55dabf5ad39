package dev.berth.bus;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;

/**
 * A record set aside on berth.dead-letters (keyed by its source topic), see schemas/DeadLetter.json:
 * where it was, who set it aside and why, and a bounded excerpt of it, never the whole value.
 *
 * @param size      the value's size in bytes
 * @param excerpt   at most {@link Excerpt#DEAD_LETTER_CHARS} chars of the value (null for a null value)
 * @param truncated whether the excerpt is shorter than the value
 */
public record DeadLetter(String topic, int partition, long offset, String key, String consumer, String reason,
                         int size, String excerpt, boolean truncated, Instant time) {

    public static DeadLetter of(RawRecord record, String reason, String consumer, Instant now) {
        String value = record.value();
        String excerpt = value == null ? null
                : value.length() <= Excerpt.DEAD_LETTER_CHARS ? value : cut(value, Excerpt.DEAD_LETTER_CHARS);
        return new DeadLetter(record.topic(), record.partition(), record.offset(), Excerpt.of(record.key(), 256), consumer,
                Excerpt.of(reason, Excerpt.ANSWER_CHARS * 2), record.size(), excerpt,
                value != null && excerpt.length() < value.length(), now);
    }

    private static String cut(String s, int max) {
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
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
