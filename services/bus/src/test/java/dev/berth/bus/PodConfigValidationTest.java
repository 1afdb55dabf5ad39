package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.*;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** volumes, volumeMounts, envFrom and env valueFrom in a template: Kubernetes' rules and words. */
class PodConfigValidationTest {
    private static List<String> problems(PodTemplate t) {
        return Validation.problems(new ApplyDeployment(new DeploymentSpec("web", 1, t)));
    }

    private static PodTemplate read(String json) {
        try {
            return Json.MAPPER.readValue(json, PodTemplate.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static PodTemplate with(List<Volume> volumes, List<VolumeMount> mounts) {
        PodTemplate t = Samples.template();
        return t.withContainers(List.of(t.main().withConfig(null, null, mounts))).withVolumes(volumes);
    }

    @Test
    void theSampleIsValidAndReadsBackTheSame() {
        PodTemplate t = Samples.configured(Samples.template());
        assertThat(problems(t)).isEmpty();
        assertThat(read(Json.write(t))).isEqualTo(t);
    }

    @Test
    void aRecordWithoutTheFieldsReadsAsNone() {
        PodTemplate t = read("{\"image\":\"busybox\",\"restartPolicy\":\"Always\",\"terminationGracePeriodSeconds\":10}");
        assertThat(t.volumes()).isEmpty();
        assertThat(t.main().volumeMounts()).isEmpty();
        assertThat(t.main().envFrom()).isEmpty();
        assertThat(t.main().envValueFrom()).isEmpty();
    }

    @Test
    void volumeNamesAreUniqueLabelsWithOneSource() {
        Volume a = Volume.emptyDir("data", new EmptyDirVolumeSource(null, null));
        assertThat(problems(with(List.of(a, a), List.of())))
                .containsExactly("/deployment/template/volumes/1/name: Duplicate value: \"data\"");
        assertThat(problems(with(List.of(new Volume("Data", null, null, null)), List.of()))).containsExactlyInAnyOrder(
                "/deployment/template/volumes/0/name: 'Data' is not a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
                "/deployment/template/volumes/0: Required value: must specify a volume type");
        Volume two = new Volume("x", new ConfigMapVolumeSource("c", null, null, false), null, new EmptyDirVolumeSource("", null));
        assertThat(problems(with(List.of(two), List.of()))).containsExactly("/deployment/template/volumes/0: Forbidden: may not specify more than 1 volume type");
        assertThat(problems(with(List.of(Volume.emptyDir("x", new EmptyDirVolumeSource("HugePages", null))), List.of())))
                .containsExactly("/deployment/template/volumes/0/emptyDir/medium: Unsupported value: \"HugePages\": supported values: \"\", \"Memory\"");
    }

    @Test
    void itemsAreRelativePathsAndModesAtMost0777() {
        Volume v = Volume.secret("s", new SecretVolumeSource("db", List.of(new KeyToPath("a", "/etc/a", null),
                new KeyToPath("b", "x/../../b", 01000), new KeyToPath("c", "ok", null), new KeyToPath("d", "ok", null)), 0644, false));
        assertThat(problems(with(List.of(v), List.of()))).containsExactly(
                "/deployment/template/volumes/0/secret/items/0/path: Invalid value: \"/etc/a\": must be a relative path",
                "/deployment/template/volumes/0/secret/items/1/path: Invalid value: \"x/../../b\": must not contain '..'",
                "/deployment/template/volumes/0/secret/items/1/mode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
                "/deployment/template/volumes/0/secret/items/3/path: Duplicate value: \"ok\"");
    }

    @Test
    void mountsNameAVolumeAtAnAbsoluteUniquePath() {
        Volume v = Volume.emptyDir("data", new EmptyDirVolumeSource("", null));
        assertThat(problems(with(List.of(v), List.of(new VolumeMount("nope", "/a", false, null), new VolumeMount("data", "rel", false, null),
                new VolumeMount("data", "/a", false, "../up"))))).containsExactly(
                "/deployment/template/volumeMounts/0/name: Not found: \"nope\"",
                "/deployment/template/volumeMounts/1/mountPath: Invalid value: \"rel\": must be an absolute path",
                "/deployment/template/volumeMounts/2/mountPath: Invalid value: \"/a\": must be unique",
                "/deployment/template/volumeMounts/2/subPath: Invalid value: \"../up\": must not contain '..'");
    }

    @Test
    void envSourcesNameExactlyOneObject() {
        PodTemplate t = Samples.template();
        Container c = t.main().withConfig(List.of(new EnvFromSource("1BAD", null, null)),
                List.of(new EnvVarSource("X", new KeySelector("a", "k", false), new KeySelector("b", "k", false)),
                        new EnvVarSource("Y", new KeySelector("a", "bad key", false), null)), null);
        assertThat(problems(t.withContainers(List.of(c)))).containsExactly(
                "/deployment/template/envFrom/0/prefix: '1BAD' is not a valid environment variable name",
                "/deployment/template/envFrom/0: Required value: must specify one of: `configMapRef` or `secretRef`",
                "/deployment/template/envValueFrom/0/valueFrom: Invalid value: \"\": may not have more than one field specified at a time",
                "/deployment/template/envValueFrom/1/configMapKeyRef/key: 'bad key' is not a valid config key (letters, digits, '-', '_' or '.')");
    }

    @Test
    void countsAreBounded() {
        List<Volume> many = java.util.stream.IntStream.range(0, Limits.VOLUMES_MAX_ITEMS + 1)
                .mapToObj(i -> Volume.emptyDir("v" + i, new EmptyDirVolumeSource("", null))).toList();
        assertThat(problems(with(many, List.of()))).containsExactly("/deployment/template/volumes: has 65 items, at most 64 are allowed");
        assertThat(Map.of()).isEmpty();
    }
}
