package dev.berth.controller.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.BadRecordException;
import dev.berth.bus.Json;
import dev.berth.bus.Limits;
import dev.berth.bus.RawRecord;
import dev.berth.bus.contract.CommandRejected;
import java.util.List;

/**
 * The answer to a record of berth.commands that is not a valid command envelope (too large, garbage
 * bytes, non-JSON, wrong JSON, schema violations). It is named by its envelope id when one can be read,
 * else by its position in the log, so whoever sent it can still find the answer. An answer never
 * echoes more than a bounded excerpt of the input ({@link Limits}): a hostile command cannot make its
 * own rejection too large to publish.
 */
public final class BadCommands {
    private BadCommands() {}

    public static CommandRejected rejection(RawRecord record, BadRecordException problem) {
        return new CommandRejected(commandId(record), Limits.excerpt(problem.typeName(), Limits.TYPE_MAX_LENGTH), target(record),
                Limits.excerpt(problem.getMessage(), Limits.TEXT_MAX_LENGTH), Limits.boundedProblems(problem.problems()));
    }

    /**
     * The answer to a command record larger than {@link Limits#COMMAND_RECORD_MAX_BYTES}: it is not
     * parsed at all (so it is named by its position), and the answer says how large it was.
     */
    public static CommandRejected tooLarge(RawRecord record, long bytes) {
        return new CommandRejected(record.position(), null, target(record),
                "command record of " + bytes + " bytes is larger than the " + Limits.COMMAND_RECORD_MAX_BYTES
                        + " bytes a command may have; it was not read",
                List.of("/: at most " + Limits.COMMAND_RECORD_MAX_BYTES + " bytes"));
    }

    /**
     * The envelope id if the value is a JSON object with a non-empty string id of at most
     * {@link Limits#ID_MAX_LENGTH} characters, else the record's position.
     */
    public static String commandId(RawRecord record) {
        if (record.value() != null && record.value().length() > Limits.COMMAND_RECORD_MAX_BYTES) return record.position();
        try {
            JsonNode id = Json.parse(record.value()).get("id");
            if (id != null && id.isTextual() && !id.asText().isBlank() && id.asText().length() <= Limits.ID_MAX_LENGTH) return id.asText();
        } catch (BadRecordException notJson) {
            // Fall through: the position names it.
        }
        return record.position();
    }

    /** The record's key, which names the command's target, cut to the longest target there is. */
    static String target(RawRecord record) {
        return Limits.excerpt(record.key(), Limits.NODE_NAME_MAX_LENGTH);
    }
}
