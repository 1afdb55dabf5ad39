package dev.berth.controller.core;

import static dev.berth.controller.core.Harness.created;
import static dev.berth.controller.core.Harness.deletions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyJob;
import dev.berth.bus.contract.ApplyNamespace;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteJob;
import dev.berth.bus.contract.DeleteNamespace;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.JobCondition;
import dev.berth.bus.contract.JobDeleted;
import dev.berth.bus.contract.JobSpec;
import dev.berth.bus.contract.JobStatusChanged;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Kubernetes' job controller as the core decides it: progression, failure counting, deadlines, ttl, level-triggered resync. */
class JobControllerTest {
    private final Harness h = Harness.withImages("busybox");

    static PodTemplate template(String policy) {
        return new PodTemplate("busybox", List.of("sh", "-c"), List.of("echo done"), Map.of(), new Resources(100, 64 * Samples.MI), policy, 5);
    }

    static JobSpec job(String name, int completions, int parallelism, String policy) {
        return new JobSpec(name, null, template(policy), completions, parallelism);
    }

    private JobRecord record(String name) { return h.state.job(name).orElseThrow(); }

    private JobStatusChanged status(String name) { return record(name).status(); }

    private List<PodRecord> pods(String job) { return h.state.podsOf(JobRecord.ownerKey("default", job)); }

    private List<PodRecord> active(String job) {
        JobSpec spec = record(job).spec();
        return pods(job).stream().filter(p -> !p.deletionRequested() && JobController.isActive(spec, p)).toList();
    }

    private void exit(String pod, int code) { h.read(new PodStatusChanged(pod, "node-1", ContainerState.Exited, code, null, null, 0)); }

    private void running(String pod, int restarts) { h.read(new PodStatusChanged(pod, "node-1", ContainerState.Running, null, null, null, restarts)); }

    /**
     * One wave: the controller sees what ended (as it would at once), the pod back-off passes, it reconciles, then the
     * node reports every active pod of {@code job} with {@code code}.
     */
    private List<Event> wave(String job, int code) {
        h.reconcile();
        h.now = h.now.plus(JobController.BACKOFF_MAX);
        List<Event> events = h.reconcile();
        for (PodRecord p : active(job)) exit(p.name(), code);
        return events;
    }

    // ---- completions and parallelism ----

    @Test
    void fiveCompletionsTwoAtATimeCompleteWithFiveSucceededAndNeverMoreThanTwoActive() {
        h.accepted(new ApplyJob(job("pi", 5, 2, "Never")));
        int maxActive = 0;
        for (int round = 0; round < 10 && !record("pi").finished(); round++) {
            h.reconcile();
            maxActive = Math.max(maxActive, active("pi").size());
            assertThat(status("pi").active()).isLessThanOrEqualTo(2);
            // one pod at a time succeeds, as real ones do
            active("pi").stream().findFirst().ifPresent(p -> exit(p.name(), 0));
        }
        h.reconcile();

        JobStatusChanged s = status("pi");
        assertThat(maxActive).isEqualTo(2);
        assertThat(pods("pi")).hasSize(5).allMatch(PodRecord::succeeded);
        assertThat(s.succeeded()).isEqualTo(5);
        assertThat(s.active()).isZero();
        assertThat(s.failed()).isZero();
        assertThat(s.completionTime()).isNotNull().isAfter(s.startTime());
        assertThat(s.condition(JobCondition.COMPLETE)).satisfies(c -> {
            assertThat(c.reason()).isEqualTo(JobCondition.COMPLETED);
            assertThat(c.message()).isEqualTo("Reached expected number of succeeded pods");
        });
        assertThat(created(h.reconcile())).as("a complete Job makes no more pods").isEmpty();
    }

    @Test
    void theFirstReconcileStartsTheJobWithMinOfParallelismAndCompletions() {
        h.accepted(new ApplyJob(job("few", 3, 5, "Never")));
        List<Event> events = h.reconcile();
        assertThat(created(events)).hasSize(3).allSatisfy(c -> {
            assertThat(c.ofJob()).isTrue();
            assertThat(c.deployment()).isEqualTo("few");
        });
        assertThat(events).filteredOn(JobStatusChanged.class::isInstance).singleElement().isInstanceOfSatisfying(JobStatusChanged.class, s -> {
            assertThat(s.active()).isEqualTo(3);
            assertThat(s.startTime()).isEqualTo(h.now);
            assertThat(s.conditions()).isEmpty();
        });
    }

    @Test
    void completionsAbsentIsOne() {
        h.accepted(new ApplyJob(new JobSpec("once", null, template("Never"), null, null, null, null, null, null, null)));
        assertThat(created(h.reconcile())).hasSize(1);
        exit(pods("once").get(0).name(), 0);
        h.reconcile();
        assertThat(status("once").condition(JobCondition.COMPLETE)).isNotNull();
        assertThat(record("once").spec().backoffLimit()).isEqualTo(6);
    }

    @Test
    void podsCarryTheJobLabelsKubernetesSets() {
        h.accepted(new ApplyJob(job("pi", 1, 1, "Never")));
        PodCreated c = created(h.reconcile()).get(0);
        String uid = record("pi").uid();
        assertThat(c.template().labels()).containsEntry("job-name", "pi").containsEntry("batch.kubernetes.io/job-name", "pi")
                .containsEntry("controller-uid", uid).containsEntry("batch.kubernetes.io/controller-uid", uid);
        assertThat(c.pod()).startsWith("pi-");
    }

    @ParameterizedTest
    @CsvSource({"1,1", "4,1", "4,4", "7,3", "10,10", "3,10"})
    void anyCompletionsAndParallelismEndWithExactlyCompletionsSucceeded(int completions, int parallelism) {
        h.accepted(new ApplyJob(job("j", completions, parallelism, "Never")));
        for (int round = 0; round < 2 * completions + 2 && !record("j").finished(); round++) {
            wave("j", 0);
            assertThat(active("j").size()).isLessThanOrEqualTo(parallelism);
        }
        h.reconcile();
        assertThat(status("j").succeeded()).isEqualTo(completions);
        assertThat(pods("j")).hasSize(completions);
        assertThat(status("j").condition(JobCondition.COMPLETE)).isNotNull();
    }

    @Test
    void parallelismLoweredDeletesTheSurplusAndZeroSuspends() {
        h.accepted(new ApplyJob(job("p", 10, 4, "Never")));
        h.reconcile();
        assertThat(active("p")).hasSize(4);
        h.accepted(new ApplyJob(job("p", 10, 1, "Never")));
        assertThat(deletions(h.reconcile())).hasSize(3);
        assertThat(active("p")).hasSize(1);
        h.accepted(new ApplyJob(job("p", 10, 0, "Never")));
        assertThat(deletions(h.reconcile())).hasSize(1);
        assertThat(created(h.reconcile())).isEmpty();
        assertThat(status("p").active()).isZero();
        assertThat(record("p").generation()).isEqualTo(3);
    }

    // ---- failures: Never counts failed pods, OnFailure counts restarts ----

    @Test
    void neverFailsWithBackoffLimitExceededAfterBackoffLimitPlusOneFailedPods() {
        h.accepted(new ApplyJob(job("bad", 1, 1, "Never").withLimits(2, null, null)));
        for (int round = 0; round < 10 && !record("bad").finished(); round++) wave("bad", 1);
        h.reconcile();

        JobStatusChanged s = status("bad");
        assertThat(pods("bad")).hasSize(3).allMatch(PodRecord::failed);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.succeeded()).isZero();
        assertThat(s.active()).isZero();
        assertThat(s.completionTime()).isNull();
        assertThat(s.condition(JobCondition.FAILED)).satisfies(c -> {
            assertThat(c.reason()).isEqualTo("BackoffLimitExceeded");
            assertThat(c.message()).isEqualTo("Job has reached the specified backoff limit");
        });
        assertThat(created(h.reconcile())).isEmpty();
    }

    @Test
    void aFailedPodIsReplacedAfterKubernetesBackOffTenSecondsDoubling() {
        h.accepted(new ApplyJob(job("flaky", 1, 1, "Never").withLimits(6, null, null)));
        h.reconcile();
        exit(pods("flaky").get(0).name(), 1);
        assertThat(created(h.reconcile())).as("back-off after the first failure").isEmpty();
        assertThat(status("flaky").lastFailureTime()).isEqualTo(h.now);
        assertThat(JobController.waitingForTime(h.state)).as("the tick ends the back-off").containsExactly("flaky");
        h.now = h.now.plusSeconds(9);
        assertThat(created(h.reconcile())).isEmpty();
        h.now = h.now.plusSeconds(1);
        assertThat(created(h.reconcile())).as("10 s after the first failure").hasSize(1);

        exit(active("flaky").get(0).name(), 1);
        h.reconcile();
        h.now = h.now.plusSeconds(19);
        assertThat(created(h.reconcile())).isEmpty();
        h.now = h.now.plusSeconds(1);
        assertThat(created(h.reconcile())).as("20 s after the second").hasSize(1);
        assertThat(status("flaky").failed()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,10", "2,20", "3,40", "5,160", "6,320", "7,360", "40,360"})
    void theBackOffDoublesFromTenSecondsUpToSixMinutes(int failures, long seconds) {
        assertThat(JobController.backoff(failures)).hasSeconds(seconds);
    }

    @Test
    void aSuccessNeedsNoBackOffButAnEarlierFailureStillDelaysTheNextPod() {
        h.accepted(new ApplyJob(job("some", 3, 2, "Never").withLimits(6, null, null)));
        h.reconcile();
        List<PodRecord> two = active("some");
        exit(two.get(0).name(), 0);
        assertThat(created(h.reconcile())).as("a success is replaced at once").hasSize(1);
        exit(two.get(1).name(), 1);
        assertThat(created(h.reconcile())).isEmpty();
        h.now = h.now.plusSeconds(10);
        assertThat(created(h.reconcile())).hasSize(1);
    }

    @Test
    void backoffLimitZeroFailsOnTheFirstFailedPod() {
        h.accepted(new ApplyJob(job("bad", 3, 1, "Never").withLimits(0, null, null)));
        wave("bad", 2);
        h.reconcile();
        assertThat(status("bad").failed()).isEqualTo(1);
        assertThat(status("bad").condition(JobCondition.FAILED).reason()).isEqualTo(JobCondition.BACKOFF_LIMIT_EXCEEDED);
    }

    @Test
    void aFailureStopsTheOtherActivePodsAndCountsThemFailed() {
        h.accepted(new ApplyJob(job("bad", 4, 3, "Never").withLimits(0, null, null)));
        h.reconcile();
        exit(active("bad").get(0).name(), 1);
        List<Event> events = h.reconcile();
        assertThat(deletions(events)).hasSize(2).allSatisfy(d -> assertThat(d.reason()).isEqualTo("job bad failed: BackoffLimitExceeded"));
        assertThat(status("bad").failed()).isEqualTo(3);
        assertThat(status("bad").active()).isZero();
    }

    @Test
    void successesAndFailuresMixUntilCompletions() {
        h.accepted(new ApplyJob(job("mix", 3, 1, "Never").withLimits(5, null, null)));
        int[] codes = {1, 0, 1, 0, 0};
        for (int code : codes) wave("mix", code);
        h.reconcile();
        assertThat(status("mix").succeeded()).isEqualTo(3);
        assertThat(status("mix").failed()).isEqualTo(2);
        assertThat(status("mix").condition(JobCondition.COMPLETE)).isNotNull();
    }

    @Test
    void onFailureKeepsThePodAndCountsItsRestarts() {
        h.accepted(new ApplyJob(job("retry", 1, 1, "OnFailure").withLimits(3, null, null)));
        h.reconcile();
        String pod = pods("retry").get(0).name();
        running(pod, 1);
        h.reconcile();
        running(pod, 2);
        assertThat(created(h.reconcile())).as("the restarted pod stays the Job's one").isEmpty();
        assertThat(record("retry").finished()).isFalse();
        running(pod, 3);
        List<Event> events = h.reconcile();
        assertThat(deletions(events)).singleElement().satisfies(d -> assertThat(d.pod()).isEqualTo(pod));
        assertThat(status("retry").condition(JobCondition.FAILED).reason()).isEqualTo(JobCondition.BACKOFF_LIMIT_EXCEEDED);
        assertThat(status("retry").failed()).isEqualTo(1);
    }

    @Test
    void onFailureWithBackoffLimitZeroFailsOnTheFirstRestart() {
        h.accepted(new ApplyJob(job("retry", 1, 1, "OnFailure").withLimits(0, null, null)));
        h.reconcile();
        running(pods("retry").get(0).name(), 0);
        h.reconcile();
        assertThat(record("retry").finished()).isFalse();
        running(pods("retry").get(0).name(), 1);
        h.reconcile();
        assertThat(status("retry").condition(JobCondition.FAILED).reason()).isEqualTo(JobCondition.BACKOFF_LIMIT_EXCEEDED);
    }

    @Test
    void onFailureAnExitedNonZeroPodIsStillActiveNotFailed() {
        h.accepted(new ApplyJob(job("retry", 1, 1, "OnFailure")));
        h.reconcile();
        exit(pods("retry").get(0).name(), 1);
        assertThat(created(h.reconcile())).isEmpty();
        assertThat(status("retry").failed()).isZero();
        assertThat(status("retry").active()).isEqualTo(1);
    }

    // ---- activeDeadlineSeconds and ttlSecondsAfterFinished ----

    @Test
    void aJobRunningPastActiveDeadlineSecondsFailsWithDeadlineExceeded() {
        h.accepted(new ApplyJob(job("slow", 2, 2, "Never").withLimits(null, 30L, null)));
        h.reconcile();
        h.now = h.now.plusSeconds(29);
        assertThat(h.reconcile()).isEmpty();
        h.now = h.now.plusSeconds(1);
        List<Event> events = h.reconcile();
        assertThat(deletions(events)).hasSize(2);
        JobStatusChanged s = status("slow");
        assertThat(s.condition(JobCondition.FAILED)).satisfies(c -> {
            assertThat(c.reason()).isEqualTo("DeadlineExceeded");
            assertThat(c.message()).isEqualTo("Job was active longer than specified deadline");
        });
        assertThat(s.failed()).isEqualTo(2);
        assertThat(s.active()).isZero();
    }

    @Test
    void aJobWithADeadlineIsWaitingForTimeSoTheTickReachesIt() {
        h.accepted(new ApplyJob(job("slow", 1, 1, "Never").withLimits(null, 30L, null)));
        h.accepted(new ApplyJob(job("plain", 1, 1, "Never")));
        assertThat(JobController.waitingForTime(h.state)).as("neither started").containsExactly("plain", "slow");
        h.reconcile();
        assertThat(JobController.waitingForTime(h.state)).containsExactly("slow");
        assertThat(ReconcileScope.rollingOut(h.state)).hasToString("deployments [], nodes [], jobs [slow]");
    }

    @Test
    void ttlSecondsAfterFinishedDeletesTheJobAndItsPods() {
        h.accepted(new ApplyJob(job("tidy", 2, 2, "Never").withLimits(null, null, 60)));
        wave("tidy", 0);
        h.reconcile();
        assertThat(record("tidy").finished()).isTrue();
        assertThat(JobController.waitingForTime(h.state)).containsExactly("tidy");
        h.now = h.now.plusSeconds(59);
        assertThat(h.reconcile()).isEmpty();
        h.now = h.now.plusSeconds(1);
        List<Event> events = h.reconcile();
        assertThat(events).filteredOn(JobDeleted.class::isInstance).singleElement()
                .isInstanceOfSatisfying(JobDeleted.class, d -> assertThat(d.reason()).contains("ttlSecondsAfterFinished (60 s)"));
        assertThat(deletions(events)).hasSize(2);
        assertThat(h.state.job("tidy")).isEmpty();
        for (PodRecord p : pods("tidy")) h.read(new PodStatusChanged(p.name(), "node-1", ContainerState.Stopped, 0, null, null, 0));
        assertThat(pods("tidy")).isEmpty();
        assertThat(h.reconcile()).isEmpty();
    }

    @Test
    void aFinishedJobWithoutTtlStaysAndWaitsForNothing() {
        h.accepted(new ApplyJob(job("keep", 1, 1, "Never")));
        wave("keep", 0);
        h.reconcile();
        h.now = h.now.plus(Duration.ofDays(30));
        assertThat(h.reconcile()).isEmpty();
        assertThat(JobController.waitingForTime(h.state)).isEmpty();
        assertThat(h.state.job("keep")).isPresent();
    }

    // ---- level-triggered: duplicated, missed and reordered reports ----

    @Test
    void aDuplicatedSuccessReportCountsOnce() {
        h.accepted(new ApplyJob(job("dup", 2, 1, "Never")));
        h.reconcile();
        String pod = pods("dup").get(0).name();
        exit(pod, 0);
        exit(pod, 0);
        h.reconcile();
        exit(pod, 0);
        h.reconcile();
        assertThat(status("dup").succeeded()).isEqualTo(1);
        assertThat(pods("dup")).hasSize(2);
    }

    @Test
    void aPodThatEndedWithoutEverBeingReportedRunningCounts() {
        h.accepted(new ApplyJob(job("fast", 1, 1, "Never")));
        h.reconcile();
        exit(pods("fast").get(0).name(), 0);
        h.reconcile();
        assertThat(status("fast").condition(JobCondition.COMPLETE)).isNotNull();
    }

    @Test
    void reconcilingAgainWithoutNewsDecidesNothing() {
        h.accepted(new ApplyJob(job("calm", 4, 2, "Never")));
        h.reconcile();
        assertThat(h.reconcile()).isEmpty();
        exit(pods("calm").get(0).name(), 0);
        assertThat(created(h.reconcile())).hasSize(1);
        assertThat(h.reconcile()).isEmpty();
    }

    @Test
    void aPodReportScopesItsJobSoNoResyncIsNeeded() {
        h.accepted(new ApplyJob(job("scoped", 2, 1, "Never")));
        h.reconcile();
        String pod = pods("scoped").get(0).name();
        PodStatusChanged report = new PodStatusChanged(pod, "node-1", ContainerState.Exited, 0, null, null, 0);
        h.read(report);
        ReconcileScope scope = ReconcileScope.of(List.of(report), h.state);
        assertThat(scope).hasToString("deployments [], nodes [node-1], jobs [scoped]");
        assertThat(created(Reconciler.decide(h.state, scope, h.now))).hasSize(1);
    }

    @Test
    void aLostRunningPodIsReplacedButALostSucceededOneStillCounts() {
        h.accepted(new ApplyJob(job("lost", 2, 2, "Never")));
        h.reconcile();
        PodRecord first = pods("lost").get(0), second = pods("lost").get(1);
        exit(first.name(), 0);
        h.read(new PodLost(first.name(), "lost", "node-1", "node lost", "default", PodCreated.JOB));
        h.read(new PodLost(second.name(), "lost", "node-1", "node lost", "default", PodCreated.JOB));
        assertThat(created(h.reconcile())).as("only the running one is replaced").hasSize(1);
        assertThat(status("lost").succeeded()).isEqualTo(1);
    }

    @Test
    void theStateRebuiltFromTheLogEqualsTheLiveOne() {
        h.accepted(new ApplyJob(job("a", 3, 2, "Never").withLimits(1, 3000L, 600)));
        h.accepted(new ApplyJob(job("b", 1, 1, "OnFailure")));
        for (int i = 0; i < 4; i++) wave("a", i % 2);
        h.reconcile();
        running(pods("b").get(0).name(), 1);
        h.reconcile();

        ControllerState rebuilt = EventAppliers.fold(ControllerState.empty(), h.log);
        assertThat(rebuilt.jobs()).isEqualTo(h.state.jobs()).containsOnlyKeys("a", "b");
        assertThat(rebuilt).isEqualTo(h.state);
        assertThat(Reconciler.reconcile(rebuilt, h.now).outputs()).isEmpty();
    }

    // ---- commands ----

    @Test
    void aJobTakesOnlyNeverOrOnFailureAsKubernetes() {
        assertThat(h.rejected(new ApplyJob(job("x", 1, 1, "Always"))).reason())
                .isEqualTo("spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"");
    }

    @Test
    void negativeCountsAndAZeroDeadlineAreRejectedInKubernetesWords() {
        JobSpec bad = new JobSpec("x", null, template("Never"), -1, -2, -3, 0L, -4, null, null);
        assertThat(h.rejected(new ApplyJob(bad)).problems()).containsExactly(
                "spec.completions: Invalid value: -1: must be greater than or equal to 0",
                "spec.parallelism: Invalid value: -2: must be greater than or equal to 0",
                "spec.backoffLimit: Invalid value: -3: must be greater than or equal to 0",
                "spec.activeDeadlineSeconds: Invalid value: 0: must be greater than 0 and at most " + dev.berth.bus.Limits.JOB_SECONDS_MAX,
                "spec.ttlSecondsAfterFinished: Invalid value: -4: must be greater than or equal to 0");
    }

    @Test
    void theTemplateAndCompletionsAreImmutableParallelismIsNot() {
        h.accepted(new ApplyJob(job("im", 3, 1, "Never")));
        assertThat(h.rejected(new ApplyJob(job("im", 4, 1, "Never"))).reason()).isEqualTo("spec.completions: Invalid value: 4: field is immutable");
        assertThat(h.rejected(new ApplyJob(job("im", 3, 1, "OnFailure"))).reason())
                .isEqualTo("spec.template: Invalid value: the pod template: field is immutable");
        assertThat(h.accepted(new ApplyJob(job("im", 3, 2, "Never"))).message()).isEqualTo("job.batch/im configured");
        assertThat(h.accepted(new ApplyJob(job("im", 3, 2, "Never"))).message()).isEqualTo("job.batch/im unchanged");
    }

    @Test
    void anInvalidImageReferenceIsRejected() {
        JobSpec spec = job("x", 1, 1, "Never").withTemplate(new PodTemplate("No Such:1", List.of("sh", "-c"), List.of("echo done"), Map.of(), new Resources(100, 64 * Samples.MI), "Never", 5));
        assertThat(h.rejected(new ApplyJob(spec)).reason()).contains("No Such:1");
    }

    @Test
    void deleteJobStopsItsPodsAndAnUnknownOneIsNotFound() {
        h.accepted(new ApplyJob(job("gone", 4, 2, "Never")));
        h.reconcile();
        assertThat(h.accepted(new DeleteJob("gone", null)).message()).isEqualTo("job.batch/gone deleted: 2 pods will be stopped");
        assertThat(deletions(h.reconcile())).hasSize(2).allSatisfy(d -> {
            assertThat(d.reason()).isEqualTo("job gone deleted");
            assertThat(d.ofJob()).isTrue();
        });
        assertThat(h.rejected(new DeleteJob("gone", null)).reason()).isEqualTo("jobs.batch \"gone\" not found");
        assertThat(h.rejected(new DeleteJob("gone", "shop")).reason()).isEqualTo("jobs.batch \"gone\" not found in namespace 'shop'");
    }

    @Test
    void aJobAndADeploymentOfTheSameNameKeepTheirPodsApart() {
        h.accepted(new dev.berth.bus.contract.ApplyDeployment(Samples.deployment("same", 2)));
        h.accepted(new ApplyJob(job("same", 3, 3, "Never")));
        h.reconcile();
        assertThat(h.live("same")).hasSize(2);
        assertThat(pods("same")).hasSize(3);
        List<String> names = new ArrayList<>();
        h.state.pods().keySet().forEach(names::add);
        assertThat(names).doesNotHaveDuplicates().hasSize(5);
    }

    @Test
    void deletingTheNamespaceDeletesItsJobs() {
        h.accepted(new ApplyNamespace("batch"));
        h.accepted(new ApplyJob(job("nj", 2, 2, "Never").inNamespace("batch")));
        h.reconcile();
        List<Event> events = h.command(new DeleteNamespace("batch"));
        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(JobDeleted.class));
        assertThat(h.state.job("batch", "nj")).isEmpty();
        assertThat(deletions(h.reconcile())).hasSize(2);
    }
}
