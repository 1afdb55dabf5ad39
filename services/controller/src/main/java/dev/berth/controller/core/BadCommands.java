package dev.berth.controller.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.BadRecordException;
import dev.berth.bus.Json;
import dev.berth.bus.RawRecord;
import dev.berth.bus.contract.CommandRejected;

/**
 * The answer to a record of berth.commands that is not a valid command envelope (garbage bytes,
 * non-JSON, wrong JSON, schema violations). It is named by its envelope id when one can be read,
 * else by its position in the log, so whoever sent it can still find the answer.
 */
public final class BadCommands {
    private BadCommands() {}

    public static CommandRejected rejection(RawRecord record, BadRecordException problem) {
        return new CommandRejected(commandId(record), problem.typeName(), record.key(), problem.getMessage(),
                problem.problems());
    }

    /** The envelope id if the value is a JSON object with a non-empty string id, else the record's position. */
    public static String commandId(RawRecord record) {
        try {
            JsonNode id = Json.parse(record.value()).get("id");
            if (id != null && id.isTextual() && !id.asText().isBlank()) return id.asText();
        } catch (BadRecordException notJson) {
            // Fall through: the position names it.
        }
        return record.position();
    }
}
