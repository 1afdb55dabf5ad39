package dev.berth.node.network;

/**
 * A CNI operation that failed: a plugin's error JSON ({@code {code, msg, details}}), or a failure to run
 * it at all (not found, timed out, unreadable output). Codes below 100 are the spec's well-known ones;
 * {@link #NOT_RUN} marks failures before or around the plugin, which have no code of the plugin's own.
 *
 * @param plugin  the plugin type ("bridge"), or null for failures not tied to one
 * @param command ADD, DEL, CHECK or VERSION
 */
public final class CniException extends Exception {
    /** Berth's own code for "the plugin did not run or did not answer": never sent by a plugin. */
    public static final int NOT_RUN = -1;

    private final String plugin;
    private final String command;
    private final int code;
    private final String msg;
    private final String details;

    public CniException(String plugin, String command, int code, String msg, String details) {
        super(describe(plugin, command, code, msg, details));
        this.plugin = plugin;
        this.command = command;
        this.code = code;
        this.msg = msg;
        this.details = details;
    }

    public static CniException notRun(String plugin, String command, String why) {
        return new CniException(plugin, command, NOT_RUN, why, null);
    }

    public String plugin() { return plugin; }
    public String command() { return command; }
    public int code() { return code; }
    public String msg() { return msg; }
    public String details() { return details; }

    /** The spec's name for a well-known code (CNI 1.0.0, "Error"). */
    public static String codeName(int code) {
        return switch (code) {
            case NOT_RUN -> "plugin did not run";
            case 1 -> "incompatible CNI version";
            case 2 -> "unsupported field in network configuration";
            case 3 -> "container unknown or does not exist";
            case 4 -> "invalid necessary environment variables";
            case 5 -> "I/O failure";
            case 6 -> "failed to decode content";
            case 7 -> "invalid network config";
            case 11 -> "try again later";
            default -> code >= 100 ? "plugin-specific error" : "reserved error code";
        };
    }

    private static String describe(String plugin, String command, int code, String msg, String details) {
        StringBuilder s = new StringBuilder("CNI ").append(command);
        if (plugin != null) s.append(" of plugin ").append(plugin);
        s.append(" failed");
        if (code != NOT_RUN) s.append(" (code ").append(code).append(": ").append(codeName(code)).append(')');
        s.append(": ").append(msg == null || msg.isBlank() ? "(no message)" : msg);
        if (details != null && !details.isBlank()) s.append(" — ").append(details);
        return s.toString();
    }
}
