package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Turns a failed plugin's output into a {@link CniException}: its error JSON when it printed one. */
final class CniErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 300;

    private CniErrors() {}

    static CniException parse(String plugin, String command, int exit, byte[] stdout, String stderr) {
        try {
            JsonNode e = JSON.readTree(stdout);
            if (e != null && e.isObject() && e.path("code").canConvertToInt()) {
                String details = e.path("details").isMissingNode() || e.path("details").isNull() ? null : e.path("details").asText();
                return new CniException(plugin, command, e.path("code").asInt(), e.path("msg").asText(null), details);
            }
        } catch (IOException notJson) {
            // fall through: report what it printed
        }
        String said = stdout.length > 0 ? excerpt(stdout) : stderr.isEmpty() ? "" : excerpt(stderr.getBytes(StandardCharsets.UTF_8));
        return CniException.notRun(plugin, command, "exited " + exit + " without an error result" + (said.isEmpty() ? "" : ": " + said));
    }

    static String excerpt(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, EXCERPT * 4), StandardCharsets.UTF_8).strip();
        return s.length() > EXCERPT ? s.substring(0, EXCERPT) + "…" : s;
    }
}
