package dev.berth.bus;

import java.nio.charset.StandardCharsets;

/**
 * A record as it came off a topic, before decoding: shells decode it and answer bad ones.
 *
 * @param valueSize the value's size in bytes as the broker stored it (-1 when not known: then measured from the value)
 */
public record RawRecord(String topic, int partition, long offset, long timestamp, String key, String value, int valueSize) {

    public RawRecord(String topic, int partition, long offset, long timestamp, String key, String value) {
        this(topic, partition, offset, timestamp, key, value, -1);
    }

    /** Where the record sits, e.g. {@code berth.commands-2@17}: names records that have no id. */
    public String position() { return topic + "-" + partition + "@" + offset; }

    /** The value's size in bytes (0 for a null value). */
    public int size() {
        if (valueSize >= 0) return valueSize;
        return value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
    }
}
