package dev.berth.controller.core;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.bus.BadRecordException;
import dev.berth.bus.Excerpt;
import dev.berth.bus.Json;
import dev.berth.bus.Limits;
import dev.berth.bus.RawRecord;
import dev.berth.bus.RecordLimits;
import dev.berth.bus.contract.CommandRejected;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answer to a record of berth.commands that is not a valid command envelope (too large, garbage
 * bytes, non-JSON, wrong JSON, schema violations). It is named by its envelope id when one can be
 * read, else by its position in the log, so whoever sent it can still find the answer. It echoes at
 * most a bounded excerpt of the input ({@link Excerpt}): an answer as large as a hostile command
 * could not be published, and would block every later answer.
 */
public final class BadCommands {
    private BadCommands() {}

    /** Longest id an answer is named by; a longer one is not a Berth id, and the position names the answer. */
    static final int MAX_ID = Limits.ID_MAX_LENGTH;
    /** Where an oversized record's id is looked for (it is never parsed whole). */
    private static final int ID_WINDOW = 1024;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"\\\\]{1," + MAX_ID + "})\"");

    public static CommandRejected rejection(RawRecord record, BadRecordException problem) {
        return new CommandRejected(commandId(record), Excerpt.of(problem.typeName(), Limits.TYPE_MAX_LENGTH), target(record),
                Excerpt.of(problem.getMessage(), Excerpt.ANSWER_CHARS), Excerpt.problems(problem.problems()));
    }

    /**
     * The envelope id if the value is a JSON object with a non-empty string id of at most
     * {@link Limits#ID_MAX_LENGTH} characters, else the record's position.
     */
    public static String commandId(RawRecord record) {
        String value = record.value();
        if (value == null) return record.position();
        if (record.size() > RecordLimits.COMMAND_BYTES) {
            Matcher m = ID.matcher(value.substring(0, Math.min(value.length(), ID_WINDOW)));
            return m.find() && !m.group(1).isBlank() ? m.group(1) : record.position();
        }
        try {
            JsonNode id = Json.parse(value).get("id");
            if (id != null && id.isTextual() && !id.asText().isBlank() && id.asText().length() <= MAX_ID) return id.asText();
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
