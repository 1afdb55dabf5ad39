package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.berth.bus.Topic;
import dev.berth.bus.contract.JobStatusChanged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 4 end to end with real runc and the real broker, through the CLI: a Job of 5 completions, 2 at a time,
 * whose busybox container sleeps briefly and exits 0 (never more than 2 active, 5 succeeded, Complete), and one whose
 * container exits 1 with backoffLimit 1 (2 failed pods, Failed with BackoffLimitExceeded); `berth wait`, `get jobs`,
 * `describe job/NAME`, `get pods` showing Completed and Error, `delete job/NAME`.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class JobsE2ETest {
    @TempDir static Path home;
    static LocalStack stack;

    @BeforeAll
    static void up() throws Exception {
        stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1));
    }

    @AfterAll
    static void down() {
        if (stack != null) stack.close();
    }

    static CliRun berth(String... args) { return CliRun.berth(stack.bus().bootstrapServers(), args); }

    static Path manifest(String name, String yaml) throws Exception {
        Path f = home.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    static String job(String name, int completions, int parallelism, int backoffLimit, String script, String restartPolicy) {
        return job(name, completions, parallelism, backoffLimit, script, restartPolicy, "");
    }

    static String job(String name, int completions, int parallelism, int backoffLimit, String script, String restartPolicy, String extra) {
        return """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: %s
                spec:
                  completions: %d
                  parallelism: %d
                  backoffLimit: %d%s
                  template:
                    spec:
                      %s
                      terminationGracePeriodSeconds: 2
                      containers:
                        - name: work
                          image: busybox
                          command: ["sh", "-c", "%s"]
                          resources:
                            requests: {cpu: 20m, memory: 16Mi}
                            limits: {cpu: 100m, memory: 32Mi}
                """.formatted(name, completions, parallelism, backoffLimit, extra.isEmpty() ? "" : "\n  " + extra, restartPolicy == null ? "" : "restartPolicy: " + restartPolicy, script);
    }

    /** Active pods of a Job as `get pods` would count them: neither ended nor being deleted. */
    static int activePods(String job) {
        ClusterView view = GetCommand.load(stack.bus(), Instant.now());
        return (int) view.podsOfJob("default", job).stream()
                .filter(p -> !p.deleting && (p.phase().equals("Pending") || p.phase().equals("Running"))).count();
    }

    static List<JobStatusChanged> statuses(String job) {
        return LogSource.broker(stack.bus(), t -> null).entries(List.of(Topic.JOBS)).stream()
                .map(e -> e.envelope().data()).filter(JobStatusChanged.class::isInstance).map(JobStatusChanged.class::cast)
                .filter(s -> s.name().equals(job)).toList();
    }

    @Test
    void fiveCompletionsTwoAtATimeCompleteAndAFailingJobStopsAtItsBackoffLimit() throws Exception {
        // Kubernetes' validation: a Job's pods must not restart Always (the pod default when restartPolicy is absent).
        CliRun always = berth("apply", "-f", manifest("always", job("always", 1, 1, 0, "true", null)).toString());
        assertThat(always.code()).isNotZero();
        assertThat(always.out() + always.err())
                .contains("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");

        long t0 = System.nanoTime();
        assertThat(berth("apply", "-f", manifest("pi", job("pi", 5, 2, 2, "sleep 1; echo done", "Never")).toString()).code()).isZero();
        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicInteger maxActive = new AtomicInteger(), samples = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                try {
                    maxActive.accumulateAndGet(activePods("pi"), Math::max);
                    samples.incrementAndGet();
                } catch (RuntimeException e) {
                    // a read that failed mid-way says nothing; the next one counts
                }
            }
        }, "job-sampler");
        sampler.start();
        CliRun waited = berth("wait", "--for=condition=complete", "job/pi", "--timeout", "150s");
        long completeMs = (System.nanoTime() - t0) / 1_000_000;
        sampling.set(false);
        sampler.join();
        assertThat(waited.code()).as("wait: %s", waited.err()).isZero();
        assertThat(waited.out()).isEqualTo("job.batch/pi condition met\n");

        List<JobStatusChanged> pi = statuses("pi");
        int publishedMax = pi.stream().mapToInt(JobStatusChanged::active).max().orElse(-1);
        System.out.printf("job pi (5 completions, parallelism 2, sleep 1): Complete after %d ms; most active pods seen %d (%d samples),"
                + " most active published %d%n", completeMs, maxActive.get(), samples.get(), publishedMax);
        assertThat(maxActive.get()).as("active pods seen by `get pods`").isBetween(1, 2);
        assertThat(publishedMax).as("status.active on berth.jobs").isEqualTo(2);
        JobStatusChanged last = pi.get(pi.size() - 1);
        assertThat(last.succeeded()).isEqualTo(5);
        assertThat(last.failed()).isZero();
        assertThat(last.active()).isZero();

        String jobs = berth("get", "jobs").out();
        assertThat(jobs).startsWith("NAME").contains("STATUS", "COMPLETIONS", "DURATION", "AGE");
        assertThat(jobs.lines().filter(l -> l.startsWith("pi ")).findFirst().orElseThrow()).contains("Complete", "5/5");
        String pods = berth("get", "pods").out();
        assertThat(pods.lines().filter(l -> l.startsWith("pi-"))).hasSize(5).allSatisfy(l -> assertThat(l).contains("Completed"));
        assertThat(berth("describe", "job/pi").out()).contains("Completions:", "Pods Statuses:", "0 Active (0 Ready) / 5 Succeeded / 0 Failed",
                "Complete", "Reached expected number of succeeded pods");
        assertThat(berth("get", "job", "pi", "-o", "json").out()).contains("\"kind\" : \"Job\"", "\"succeeded\" : 5", "\"type\" : \"Complete\"");

        // exit 1, backoffLimit 1: a second pod after the 10 s back-off, then Failed. Beside it, the same under OnFailure: the
        // node restarts the container in place (CrashLoopBackOff), and its first restart reaches backoffLimit 1.
        long t1 = System.nanoTime();
        assertThat(berth("apply", "-f", manifest("bad", job("bad", 1, 1, 1, "echo failing; exit 1", "Never")).toString()).code()).isZero();
        assertThat(berth("apply", "-f", manifest("retry", job("retry", 1, 1, 1, "exit 3", "OnFailure")).toString()).code()).isZero();
        CliRun failed = berth("wait", "--for=condition=failed", "job/bad", "--timeout", "120s");
        long failedMs = (System.nanoTime() - t1) / 1_000_000;
        assertThat(failed.code()).as("wait: %s", failed.err()).isZero();
        System.out.printf("job bad (exit 1, backoffLimit 1): Failed after %d ms%n", failedMs);
        JobStatusChanged bad = statuses("bad").get(statuses("bad").size() - 1);
        assertThat(bad.failed()).isEqualTo(2);
        assertThat(bad.succeeded()).isZero();
        assertThat(bad.condition("Failed").reason()).isEqualTo("BackoffLimitExceeded");
        assertThat(failedMs).as("the second pod waits out the 10 s back-off").isGreaterThanOrEqualTo(10_000);
        assertThat(berth("get", "jobs").out().lines().filter(l -> l.startsWith("bad ")).findFirst().orElseThrow()).contains("Failed", "0/1");
        assertThat(berth("get", "pods").out().lines().filter(l -> l.startsWith("bad-"))).hasSize(2).allSatisfy(l -> assertThat(l).contains("Error"));
        assertThat(berth("describe", "job", "bad").out()).contains("BackoffLimitExceeded", "Job has reached the specified backoff limit",
                "0 Active (0 Ready) / 0 Succeeded / 2 Failed");

        CliRun retried = berth("wait", "--for=condition=failed", "job/retry", "--timeout", "90s");
        assertThat(retried.code()).as("wait: %s", retried.err()).isZero();
        JobStatusChanged retry = statuses("retry").get(statuses("retry").size() - 1);
        assertThat(retry.condition("Failed").reason()).isEqualTo("BackoffLimitExceeded");
        assertThat(retry.failed()).as("one pod, restarted in place").isEqualTo(1);
        assertThat(statuses("retry")).allSatisfy(s -> assertThat(s.active()).isLessThanOrEqualTo(1));

        // ttlSecondsAfterFinished: the finished Job and its pod go by themselves.
        assertThat(berth("apply", "-f", manifest("tidy", job("tidy", 1, 1, 0, "true", "Never", "ttlSecondsAfterFinished: 2")).toString()).code()).isZero();
        assertThat(berth("wait", "--for=condition=complete", "job/tidy", "--timeout", "60s").code()).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() ->
                berth("get", "jobs").out().lines().noneMatch(l -> l.startsWith("tidy ")) && berth("get", "pods").out().lines().noneMatch(l -> l.startsWith("tidy-")));

        CliRun timedOut = berth("wait", "--for=condition=complete", "job/bad", "--timeout", "2s");
        assertThat(timedOut.code()).isNotZero();
        assertThat(timedOut.err()).isEqualTo("error: timed out waiting for the condition on jobs/bad\n");

        assertThat(berth("delete", "job/pi").code()).isZero();
        assertThat(berth("delete", "job/bad").code()).isZero();
        assertThat(berth("delete", "job/retry").code()).isZero();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> berth("get", "pods").out().lines().count() <= 1);
        assertThat(berth("get", "jobs").out()).doesNotContain("pi ", "bad ", "retry ");
    }
}
