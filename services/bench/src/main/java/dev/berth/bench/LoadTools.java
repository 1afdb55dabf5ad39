package dev.berth.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The HTTP load generators from Debian, run as processes and read from their text output: wrk
 * (closed loop, as fast as it can) and hey (optionally at a fixed rate). Every run is bounded: killed
 * if it outlives its own duration by 30 s.
 */
final class LoadTools {
    /** One load run: what the tool measured. */
    record Load(String tool, int connections, double requestsPerSecond, double p50Ms, double p99Ms, long errors) {}

    private LoadTools() {}

    static boolean available(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
    }

    static Load wrk(String url, int connections, int seconds, PrintStream progress) throws IOException, InterruptedException {
        String out = run(seconds, progress, "wrk", "-t", "2", "-c", Integer.toString(connections), "-d", seconds + "s", "--latency", url);
        return new Load("wrk", connections, number(out, "Requests/sec:\\s+([0-9.]+)"), wrkLatency(out, "50%"), wrkLatency(out, "99%"),
                (long) (optional(out, "Non-2xx or 3xx responses:\\s+([0-9]+)") + socketErrors(out)));
    }

    /** hey with {@code connections} workers, each at most {@code perWorkerRate} requests/s (0: as fast as it can). */
    static Load hey(String url, int connections, int perWorkerRate, int seconds, PrintStream progress) throws IOException, InterruptedException {
        String out = perWorkerRate > 0
                ? run(seconds, progress, "hey", "-z", seconds + "s", "-c", Integer.toString(connections), "-q", Integer.toString(perWorkerRate), url)
                : run(seconds, progress, "hey", "-z", seconds + "s", "-c", Integer.toString(connections), url);
        return new Load("hey", connections, number(out, "Requests/sec:\\s+([0-9.]+)"),
                1000 * number(out, "50%+ in ([0-9.]+) secs"), 1000 * number(out, "99%+ in ([0-9.]+) secs"),
                errorCount(out) + non200(out));
    }

    static long non200(String heyOutput) {
        Matcher m = Pattern.compile("\\[([0-9]{3})\\]\\s+([0-9]+) responses").matcher(heyOutput);
        long n = 0;
        while (m.find()) {
            if (!m.group(1).equals("200")) n += Long.parseLong(m.group(2));
        }
        return n;
    }

    static long errorCount(String heyOutput) {
        int at = heyOutput.indexOf("Error distribution:");
        if (at < 0) return 0;
        Matcher m = Pattern.compile("\\[([0-9]+)\\]").matcher(heyOutput.substring(at));
        long n = 0;
        while (m.find()) n += Long.parseLong(m.group(1));
        return n;
    }

    static double socketErrors(String wrkOutput) {
        Matcher m = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)").matcher(wrkOutput);
        if (!m.find()) return 0;
        return Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3)) + Double.parseDouble(m.group(4));
    }

    /** wrk prints "     99%    1.23ms" with us, ms or s. */
    static double wrkLatency(String out, String percentile) {
        Matcher m = Pattern.compile("\\s" + percentile + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) throw new IllegalStateException("no " + percentile + " in wrk output:\n" + out);
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    static double number(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        if (!m.find()) throw new IllegalStateException("no match for " + regex + " in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    private static double optional(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static String run(int seconds, PrintStream progress, String... command) throws IOException, InterruptedException {
        progress.println("  running " + String.join(" ", command));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(command[0] + " did not finish");
        }
        reader.join();
        String text = new String(out[0], StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IllegalStateException(command[0] + " failed (" + p.exitValue() + "):\n" + text);
        return text;
    }
}
