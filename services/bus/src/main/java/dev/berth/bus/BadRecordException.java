package dev.berth.bus;

import java.util.List;

/** A record that is not a valid Berth envelope: garbage bytes, wrong JSON, schema violations. */
public class BadRecordException extends Exception {
    private final List<String> problems;
    private final String typeName;

    public BadRecordException(String reason, List<String> problems, String typeName) {
        super(reason);
        this.problems = List.copyOf(problems);
        this.typeName = typeName;
    }

    public BadRecordException(String reason) { this(reason, List.of(), null); }

    /** Every individual finding, e.g. {@code /data/deployment/replicas: must be >= 0}. */
    public List<String> problems() { return problems; }

    /** The declared payload type when it could be read, else null. */
    public String typeName() { return typeName; }
}
