package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.berth.bus.BadRecordException;
import dev.berth.bus.Json;
import dev.berth.bus.Limits;
import dev.berth.bus.RawRecord;
import dev.berth.bus.Validation;
import dev.berth.bus.contract.CommandRejected;
import org.junit.jupiter.api.Test;

class BadCommandsTest {

    private static RawRecord record(String value) { return new RawRecord("berth.commands", 2, 17, 0, "web", value); }

    private static CommandRejected answer(String value) {
        RawRecord r = record(value);
        BadRecordException e = catchThrowableOfType(BadRecordException.class, () -> Json.decodeValidated(value));
        assertThat(e).as("decodeValidated must refuse %s", value).isNotNull();
        return BadCommands.rejection(r, e);
    }

    @Test
    void garbageIsNamedByItsPosition() {
        CommandRejected r = answer("\u0000\u0001 garbage \uFFFD");
        assertThat(r.commandId()).isEqualTo("berth.commands-2@17");
        assertThat(r.reason()).startsWith("not valid JSON");
        assertThat(r.target()).isEqualTo("web");
        assertThat(r.commandType()).isNull();
    }

    @Test
    void jsonThatIsNotAnObjectIsNamedByItsPosition() {
        CommandRejected r = answer("[1,2]");
        assertThat(r.commandId()).isEqualTo("berth.commands-2@17");
        assertThat(r.reason()).isEqualTo("not a JSON object: expected a Berth envelope {\"type\":..,\"data\":{..}}");
    }

    @Test
    void anEmptyRecordIsAnswered() {
        assertThat(answer("").reason()).isEqualTo("empty record: expected a JSON envelope");
    }

    @Test
    void aSchemaViolationIsNamedByItsEnvelopeIdAndListsEveryProblem() {
        String json = """
                {"id":"cmd-42","type":"ApplyDeployment","version":1,"time":"2026-03-01T10:00:00Z","source":"kcat",
                 "correlationId":"cmd-42",
                 "data":{"deployment":{"name":"web","replicas":"three","template":{"image":"busybox","resources":{"requests":{"cpuMillis":-1}}}}}}""";

        CommandRejected r = answer(json);

        assertThat(r.commandId()).isEqualTo("cmd-42");
        assertThat(r.commandType()).isEqualTo("ApplyDeployment");
        assertThat(r.reason()).isEqualTo("ApplyDeployment does not match its schema");
        assertThat(r.problems()).hasSizeGreaterThanOrEqualTo(2)
                .anySatisfy(p -> assertThat(p).startsWith("/data/deployment/replicas"))
                .anySatisfy(p -> assertThat(p).contains("resources"));
    }

    @Test
    void anEnvelopeWithoutIdIsNamedByItsPosition() {
        CommandRejected r = answer("{\"type\":\"ApplyDeployment\",\"data\":{}}");
        assertThat(r.commandId()).isEqualTo("berth.commands-2@17");
        assertThat(r.reason()).isEqualTo("not a valid Berth envelope");
        assertThat(r.problems()).isNotEmpty();
    }

    @Test
    void anUnknownTypeSaysWhichTypesExist() {
        String json = """
                {"id":"cmd-7","type":"RestartDeployment","version":1,"time":"2026-03-01T10:00:00Z","source":"kcat","data":{}}""";
        CommandRejected r = answer(json);
        assertThat(r.commandId()).isEqualTo("cmd-7");
        assertThat(r.reason()).startsWith("unknown type 'RestartDeployment'; known types: ").contains("ApplyDeployment, ");
    }

    @Test
    void aNonTextualIdFallsBackToThePosition() {
        assertThat(BadCommands.commandId(record("{\"id\":12}"))).isEqualTo("berth.commands-2@17");
        assertThat(BadCommands.commandId(record("{\"id\":\"  \"}"))).isEqualTo("berth.commands-2@17");
    }

    // ---- bounded answers: a hostile command cannot make its own answer too large to publish ----

    @Test
    void aHugeGarbageRecordGetsAShortAnswer() {
        String junk = "{\"id\":\"" + "x".repeat(400_000) + "\",\"type\":\"" + "Y".repeat(100_000);
        CommandRejected r = answer(junk);
        assertBounded(r);
        assertThat(r.commandId()).as("too large to read an id from").isEqualTo("berth.commands-2@17");
    }

    @Test
    void aSchemaViolationWithThousandsOfProblemsListsABoundedFew() {
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < 3000; i++) args.append(i == 0 ? "" : ",").append(i);
        String json = """
                {"id":"cmd-9","type":"ApplyDeployment","version":1,"time":"2026-03-01T10:00:00Z","source":"kcat",
                 "data":{"deployment":{"name":"web","replicas":1,"template":{"image":"busybox","args":[%s],
                 "resources":{"cpuMillis":100,"memoryBytes":67108864}}}}}""".formatted(args);
        CommandRejected r = answer(json);
        assertBounded(r);
        assertThat(r.commandId()).isEqualTo("cmd-9");
    }

    @Test
    void anOverlongIdOrKeyIsNotEchoed() {
        String id = "i".repeat(Limits.ID_MAX_LENGTH + 1);
        RawRecord r = new RawRecord("berth.commands", 2, 17, 0, "k".repeat(100_000), "{\"id\":\"" + id + "\"}");
        assertThat(BadCommands.commandId(r)).isEqualTo("berth.commands-2@17");
        CommandRejected answer = BadCommands.rejection(r, new BadRecordException("not a valid Berth envelope"));
        assertBounded(answer);
        assertThat(answer.target()).hasSizeLessThanOrEqualTo(Limits.NODE_NAME_MAX_LENGTH);
    }

    /** Every answer fits the contract's own limits, so it can always be published. */
    private static void assertBounded(CommandRejected r) {
        assertThat(Validation.problems(r)).isEmpty();
        assertThat(Json.write(r).length()).isLessThan(Limits.TEXT_MAX_LENGTH + Limits.PROBLEMS_MAX_ITEMS * Limits.PROBLEM_MAX_LENGTH + 2048);
    }
}
