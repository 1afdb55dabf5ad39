package dev.berth.cli;

import dev.berth.bus.BusConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code berth down}: stops the {@code berth up} of this BERTH_HOME the way Ctrl-C does (SIGTERM runs
 * its shutdown: containers, control plane, broker) and waits until the process has gone. It finds the
 * process through the lock {@code berth up} holds, so it also works while that one is still starting
 * (before its state file exists), and never signals a pid left behind by a process that died.
 */
@Command(name = "down", description = "Stop the local cluster started by `berth up` in this BERTH_HOME, and wait until it has stopped.")
final class DownCommand implements Callable<Integer> {
    @Option(names = "--timeout", defaultValue = "180", paramLabel = "SECONDS",
            description = "how long to wait for it to stop (default ${DEFAULT-VALUE}; containers get their grace periods)")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Path home = BusConfig.home();
        OptionalLong pid = UpLock.running(home);
        if (pid.isEmpty()) {
            System.err.println("no `berth up` is running with BERTH_HOME=" + home + ": nothing to stop");
            return 1;
        }
        if (pid.getAsLong() == ProcessHandle.current().pid()) throw new IllegalStateException("`berth down` cannot stop its own process");
        Optional<ProcessHandle> process = ProcessHandle.of(pid.getAsLong());
        if (process.isEmpty()) {
            System.err.println("`berth up` (pid " + pid.getAsLong() + ") has already stopped");
            return 0;
        }
        long t0 = System.nanoTime();
        System.out.println("Stopping `berth up` (pid " + pid.getAsLong() + ") in " + home + " ...");
        if (!process.get().destroy()) { // SIGTERM: its shutdown hook stops every container first
            throw new IllegalStateException("cannot signal `berth up` (pid " + pid.getAsLong() + "): not permitted? run `berth down` as its user");
        }
        try {
            process.get().onExit().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.err.println("`berth up` (pid " + pid.getAsLong() + ") is still stopping after " + timeoutSeconds
                    + " s; wait, or see its output");
            return 1;
        }
        System.out.printf("Berth stopped in %.1f s: no containers, control plane or broker left from it.%n",
                Duration.ofNanos(System.nanoTime() - t0).toMillis() / 1e3);
        return 0;
    }
}
