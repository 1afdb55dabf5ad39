package dev.berth.bus;

/** A record as it came off a topic, before decoding: shells decode it and answer bad ones. */
public record RawRecord(String topic, int partition, long offset, long timestamp, String key, String value) {

    /** Where the record sits, e.g. {@code berth.commands-2@17}: names records that have no id. */
    public String position() { return topic + "-" + partition + "@" + offset; }
}
