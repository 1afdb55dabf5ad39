package dev.berth.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording's CPU samples and prints where the time went: by thread, by the innermost
 * Berth method on the stack (which service, which step), and by the innermost method of all.
 * {@code java -cp berth-bench.jar dev.berth.bench.JfrHotMethods control-plane.jfr [top]}
 */
public final class JfrHotMethods {
    private JfrHotMethods() {}

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Map<String, Integer> threads = new HashMap<>(), berth = new HashMap<>(), self = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
            samples++;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            threads.merge(threadGroup(e.getThread("sampledThread").getJavaName()), 1, Integer::sum);
            if (!frames.isEmpty()) self.merge(name(frames.get(0)), 1, Integer::sum);
            String ours = frames.stream().map(JfrHotMethods::name).filter(n -> n.startsWith("dev.berth.")).findFirst().orElse("(no Berth frame)");
            berth.merge(ours, 1, Integer::sum);
        }
        System.out.printf("%,d CPU samples%n", samples);
        print("by thread", threads, samples, top);
        print("by innermost Berth method", berth, samples, top);
        print("by innermost method", self, samples, top);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Numbered threads of one pool counted together. */
    private static String threadGroup(String thread) {
        return thread == null ? "?" : thread.replaceAll("-\\d+$", "-N");
    }

    private static void print(String title, Map<String, Integer> counts, int total, int top) {
        System.out.println("\n" + title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }
}
