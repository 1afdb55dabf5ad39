package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.berth.bus.Envelope;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.JobApplied;
import dev.berth.bus.contract.JobCondition;
import dev.berth.bus.contract.JobDeleted;
import dev.berth.bus.contract.JobSpec;
import dev.berth.bus.contract.JobStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Job manifests, `get jobs`, `describe job`, `-o json` and `wait --for` parsing, from folded events (no broker). */
class JobViewsTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    static JsonNode yaml(String text) throws Exception { return YAML.readTree(text); }

    static final String PI = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: pi
              labels: {team: math}
            spec:
              completions: 5
              parallelism: 2
              backoffLimit: 4
              activeDeadlineSeconds: 100
              ttlSecondsAfterFinished: 30
              podFailurePolicy: {rules: []}
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: pi
                      image: busybox
                      command: ["sh", "-c", "echo 3.14"]
            """;

    @Test
    void aJobManifestReadsItsFieldsAndNamesWhatBerthIgnores() throws Exception {
        JobManifest.Parsed p = JobManifest.parse(yaml(PI));
        JobSpec j = p.in(null);
        assertThat(j.name()).isEqualTo("pi");
        assertThat(j.namespace()).isEqualTo("default");
        assertThat(j.completions()).isEqualTo(5);
        assertThat(j.parallelism()).isEqualTo(2);
        assertThat(j.backoffLimit()).isEqualTo(4);
        assertThat(j.activeDeadlineSeconds()).isEqualTo(100L);
        assertThat(j.ttlSecondsAfterFinished()).isEqualTo(30);
        assertThat(j.labels()).containsEntry("team", "math");
        assertThat(j.template().restartPolicy()).isEqualTo("Never");
        assertThat(j.template().command()).containsExactly("sh", "-c", "echo 3.14");
        assertThat(p.ignored()).singleElement().asString().startsWith("spec.podFailurePolicy");
    }

    @Test
    void aJobWithoutRestartPolicyGetsThePodDefaultAlwaysForTheControllerToRefuse() throws Exception {
        JobSpec j = JobManifest.parse(yaml(PI.replace("      restartPolicy: Never\n", ""))).in(null);
        assertThat(j.template().restartPolicy()).isEqualTo("Always");
        assertThat(j.backoffLimit()).isEqualTo(4);
    }

    @Test
    void defaultsAreKubernetesAndShapesAreChecked() throws Exception {
        JobSpec j = JobManifest.parse(yaml(PI.replaceAll("  (completions|parallelism|backoffLimit|activeDeadlineSeconds|ttlSecondsAfterFinished): \\d+\n", ""))).in("batch");
        assertThat(j.completions()).isEqualTo(1);
        assertThat(j.parallelism()).isEqualTo(1);
        assertThat(j.backoffLimit()).isEqualTo(6);
        assertThat(j.activeDeadlineSeconds()).isNull();
        assertThat(j.ttlSecondsAfterFinished()).isNull();
        assertThat(j.namespace()).isEqualTo("batch");
        assertThatThrownBy(() -> JobManifest.parse(yaml(PI.replace("completions: 5", "completions: five"))))
                .hasMessage("spec.completions: expected a whole number");
        assertThatThrownBy(() -> JobManifest.parse(yaml(PI.replace("batch/v1", "batch/v1beta1")))).hasMessageContaining("expected batch/v1");
        assertThatThrownBy(() -> JobManifest.parse(yaml(PI.replace("name: pi\n  labels", "labels"))))
                .hasMessage("metadata.name is required");
    }

    @Test
    void applyTurnsAJobIntoApplyJobAndDeleteIntoDeleteJob() throws Exception {
        ManifestReader.Item item = ManifestReader.read("-", new java.io.ByteArrayInputStream(PI.getBytes(java.nio.charset.StandardCharsets.UTF_8))).get(0);
        assertThat(ApplyCommand.command(item, "apply", null, new java.util.ArrayList<>())).isInstanceOf(dev.berth.bus.contract.ApplyJob.class);
        assertThat(ApplyCommand.command(item, "delete", null, new java.util.ArrayList<>()))
                .isEqualTo(new dev.berth.bus.contract.DeleteJob("pi", "default"));
        assertThat(DeleteCommand.command("job/pi", null, GetCommand.DEFAULT_NAMESPACE)).isEqualTo(new dev.berth.bus.contract.DeleteJob("pi", "default"));
    }

    // ---- the view ----

    static Envelope at(Instant t, Payload p) { return Envelope.spontaneous(p, "test", t); }

    static PodTemplate template() {
        return new PodTemplate("busybox", List.of("sh", "-c"), List.of("true"), Map.of(), new Resources(100, 64L << 20), "Never", 5);
    }

    static ClusterView view() {
        ClusterView v = new ClusterView();
        JobSpec spec = new JobSpec("pi", null, template(), 5, 2);
        v.apply(at(T0, new JobApplied(spec, "uid-1", 1)));
        v.apply(at(T0, new JobStatusChanged("pi", null, 2, 0, 0, T0, null, List.of())));
        v.apply(at(T0, new PodCreated("pi-aaaaa", "pi", 1, template(), null, 0, PodCreated.JOB)));
        v.apply(at(T0.plusSeconds(5), new PodStatusChanged("pi-aaaaa", "node-1", ContainerState.Exited, 0, "Completed", "exited with code 0", 0)));
        return v;
    }

    @Test
    void getJobsShowsStatusCompletionsDurationAge() {
        ClusterView v = view();
        String table = GetCommand.render(v, GetCommand.Kind.jobs, GetCommand.Output.table, null, T0.plusSeconds(75), true);
        assertThat(table).isEqualTo("""
                NAME   STATUS    COMPLETIONS   DURATION   AGE
                pi     Running   0/5           75s        75s
                """);
        v.apply(at(T0.plusSeconds(200), new JobStatusChanged("pi", null, 0, 5, 0, T0, T0.plusSeconds(130), List.of(
                new JobCondition(JobCondition.COMPLETE, "True", JobCondition.COMPLETED, "Reached expected number of succeeded pods", T0.plusSeconds(130))))));
        assertThat(GetCommand.render(v, GetCommand.Kind.jobs, GetCommand.Output.table, null, T0.plusSeconds(600), true))
                .contains("pi     Complete   5/5           2m10s      10m");
        assertThat(GetCommand.render(v, GetCommand.Kind.jobs, GetCommand.Output.name, null, T0, true)).isEqualTo("job.batch/pi\n");
        assertThat(GetCommand.render(v, GetCommand.Kind.jobs, GetCommand.Output.json, "pi", T0, true))
                .contains("\"apiVersion\" : \"batch/v1\"", "\"succeeded\" : 5", "\"reason\" : \"Completed\"", "\"batch.kubernetes.io/controller-uid\" : \"uid-1\"");
    }

    @Test
    void aJobsPodIsListedAsCompletedAndApartFromADeploymentOfTheSameName() {
        ClusterView v = view();
        assertThat(GetCommand.podsTable(v, T0.plusSeconds(10))).contains("pi-aaaaa", "Completed");
        assertThat(v.deploymentOf("pi-aaaaa")).isEqualTo("job:pi");
        v.apply(at(T0.plusSeconds(20), new JobDeleted("pi", null, "deleted by a DeleteJob command")));
        assertThat(v.pods()).isEmpty();
        assertThat(v.jobs()).isEmpty();
    }

    @Test
    void describeJobShowsCountsTemplateAndConditions() {
        ClusterView v = view();
        v.apply(at(T0.plusSeconds(40), new JobStatusChanged("pi", null, 0, 1, 2, T0, null, List.of(
                new JobCondition(JobCondition.FAILED, "True", JobCondition.BACKOFF_LIMIT_EXCEEDED, "Job has reached the specified backoff limit", T0.plusSeconds(40))))));
        String d = JobTables.describe(v, "default", "pi", T0.plusSeconds(60));
        assertThat(d).contains("Name:", "pi", "Selector:", "batch.kubernetes.io/controller-uid=uid-1", "Parallelism:", "Completions:",
                "Backoff Limit:", "Pods Statuses:", "0 Active (0 Ready) / 1 Succeeded / 2 Failed", "Restart Policy:  Never",
                "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
        assertThat(JobTables.describe(v, "default", "nope", T0)).isNull();
        assertThat(GetCommand.render(v, GetCommand.Kind.jobs, GetCommand.Output.table, null, T0.plusSeconds(60), true)).contains("Failed", "1/5");
    }

    @ParameterizedTest
    @CsvSource({"0,0s", "119,119s", "120,2m", "125,2m5s", "600,10m", "10799,179m", "10800,3h", "12000,3h20m", "172799,47h", "172800,2d",
            "190800,2d5h", "700000,8d"})
    void durationsAreKubernetesHumanDurations(long seconds, String text) {
        assertThat(JobTables.humanDuration(Duration.ofSeconds(seconds))).isEqualTo(text);
    }

    @Test
    void waitTakesAJobConditionAsKubectl() {
        assertThat(WaitCommand.wanted("condition=complete")).isEqualTo(new WaitCommand.Wanted("complete", "True"));
        assertThat(WaitCommand.wanted("condition=Failed=false")).isEqualTo(new WaitCommand.Wanted("Failed", "false"));
        assertThatThrownBy(() -> WaitCommand.wanted("condition=available")).hasMessageContaining("Complete and Failed");
        assertThatThrownBy(() -> WaitCommand.wanted("delete")).hasMessageContaining("unrecognized condition");
        ClusterView.JobRow row = view().job("default", "pi");
        assertThat(WaitCommand.wanted("condition=complete").metBy(row)).isFalse();
        row.status = new JobStatusChanged("pi", null, 0, 5, 0, T0, T0, List.of(new JobCondition("Complete", "True", "Completed", "", T0)));
        assertThat(WaitCommand.wanted("condition=complete").metBy(row)).isTrue();
        assertThat(WaitCommand.wanted("condition=failed").metBy(row)).isFalse();
    }
}
