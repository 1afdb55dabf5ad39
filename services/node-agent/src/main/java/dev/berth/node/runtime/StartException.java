package dev.berth.node.runtime;

import java.io.IOException;

/** runc could not start a container; the message carries runc's own error from the log. */
public final class StartException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String id;
    private final int exitCode;
    private final String logTail;

    StartException(String id, int exitCode, String reason, String logTail) {
        super("container " + id + " failed to start: " + reason + "\n" + logTail);
        this.id = id;
        this.exitCode = exitCode;
        this.logTail = logTail;
    }

    public String id() {
        return id;
    }

    /** runc's exit code, -1 on timeout. */
    public int exitCode() {
        return exitCode;
    }

    /** The last lines of the container log written during this start attempt. */
    public String logTail() {
        return logTail;
    }
}
