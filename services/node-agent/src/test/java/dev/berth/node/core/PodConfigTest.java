package dev.berth.node.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.*;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kubelet's reading of env sources and configMap / secret / emptyDir volumes, as pure functions. */
class PodConfigTest {
    static final String PASSWORD = "s3cr3t-Pa55";

    static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }

    static final ConfigObjects OBJECTS = ConfigObjects.EMPTY
            .put(new ConfigMapSpec("shop", "web", Map.of("LOG_LEVEL", "debug", "MODE", "cm", "nginx.conf", "server {}\n", "bad key!", "x"),
                    Map.of("logo.png", b64("PNG")), null, false))
            .put(new SecretSpec("shop", "db", SecretSpec.OPAQUE, Map.of("password", b64(PASSWORD), "MODE", b64("secret")), null, false));

    static Container container(Map<String, String> env, List<EnvFromSource> from, List<EnvVarSource> valueFrom) {
        return Container.of("web", "busybox", List.of()).withEnv(env).withConfig(from, valueFrom, null);
    }

    static EnvFromSource fromConfigMap(String prefix, String name, boolean optional) { return new EnvFromSource(prefix, new SourceRef(name, optional), null); }
    static EnvFromSource fromSecret(String prefix, String name, boolean optional) { return new EnvFromSource(prefix, null, new SourceRef(name, optional)); }
    static EnvVarSource cmKey(String var, String name, String key, boolean optional) { return new EnvVarSource(var, new KeySelector(name, key, optional), null); }
    static EnvVarSource secretKey(String var, String name, String key, boolean optional) { return new EnvVarSource(var, null, new KeySelector(name, key, optional)); }

    @Test
    void envFromFirstThenEnvThenValueFromLaterWins() {
        PodConfig.Env e = PodConfig.env(container(Map.of("LOG_LEVEL", "info"), List.of(fromConfigMap(null, "web", false), fromSecret(null, "db", false)),
                List.of(secretKey("DB_PASSWORD", "db", "password", false))), "shop", OBJECTS);
        assertThat(e.ok()).isTrue();
        assertThat(e.env()).containsEntry("LOG_LEVEL", "info") // env over envFrom
                .containsEntry("MODE", "secret") // the later envFrom wins
                .containsEntry("nginx.conf", "server {}\n")
                .containsEntry("password", PASSWORD)
                .containsEntry("DB_PASSWORD", PASSWORD)
                .doesNotContainKey("bad key!") // not a variable name: skipped, as Kubernetes does
                .doesNotContainKey("logo.png"); // binaryData is not env
        PodConfig.Env over = PodConfig.env(container(Map.of("X", "plain"), List.of(), List.of(cmKey("X", "web", "MODE", false))), "shop", OBJECTS);
        assertThat(over.env()).containsEntry("X", "cm");
    }

    @Test
    void aPrefixGoesInFrontOfEveryKey() {
        PodConfig.Env e = PodConfig.env(container(null, List.of(fromConfigMap("CFG_", "web", false)), List.of()), "shop", OBJECTS);
        assertThat(e.env()).containsOnlyKeys("CFG_LOG_LEVEL", "CFG_MODE", "CFG_nginx.conf");
    }

    @Test
    void missingObjectsAndKeysInKubernetesWords() {
        assertThat(PodConfig.env(container(null, List.of(fromConfigMap(null, "nope", false)), List.of()), "shop", OBJECTS).error())
                .isEqualTo("configmap \"nope\" not found");
        assertThat(PodConfig.env(container(null, List.of(fromSecret(null, "nope", false)), List.of()), "shop", OBJECTS).error())
                .isEqualTo("secret \"nope\" not found");
        assertThat(PodConfig.env(container(null, List.of(), List.of(cmKey("A", "web", "k", false))), "shop", OBJECTS).error())
                .isEqualTo("couldn't find key k in ConfigMap shop/web");
        assertThat(PodConfig.env(container(null, List.of(), List.of(secretKey("A", "db", "k", false))), "shop", OBJECTS).error())
                .isEqualTo("couldn't find key k in Secret shop/db");
        assertThat(PodConfig.env(container(null, List.of(), List.of(secretKey("A", "db", "password", false))), "default", OBJECTS).error())
                .as("the pod's namespace only").isEqualTo("secret \"db\" not found");
    }

    @Test
    void optionalReferencesLeaveTheVariableUnset() {
        PodConfig.Env e = PodConfig.env(container(Map.of("A", "1"), List.of(fromConfigMap(null, "nope", true), fromSecret(null, "nope", true)),
                List.of(cmKey("B", "web", "k", true), secretKey("C", "nope", "k", true), cmKey("D", "nope", "k", true))), "shop", OBJECTS);
        assertThat(e.ok()).isTrue();
        assertThat(e.env()).containsOnlyKeys("A");
    }

    static PodTemplate withVolumes(Volume... v) {
        return new PodTemplate(List.of(Container.of("web", "busybox", List.of())), null, null, 10, null, null, null, null, List.of(v));
    }

    @Test
    void aConfigMapVolumeHasEveryKeyAsAFileWithMode0644() {
        PodConfig.Volumes v = PodConfig.volumes(withVolumes(Volume.configMap("config", new ConfigMapVolumeSource("web", null, null, false))), "shop", OBJECTS);
        assertThat(v.ok()).isTrue();
        PodConfig.VolumeContent c = v.volumes().get(0);
        assertThat(c.secret()).isFalse();
        Map<String, String> files = new LinkedHashMap<>();
        c.files().forEach(f -> files.put(f.path() + " " + Integer.toOctalString(f.mode()), f.text()));
        assertThat(files).containsOnly(Map.entry("LOG_LEVEL 644", "debug"), Map.entry("MODE 644", "cm"),
                Map.entry("nginx.conf 644", "server {}\n"), Map.entry("bad key! 644", "x"), Map.entry("logo.png 644", "PNG"));
    }

    @Test
    void itemsPickKeysToPathsWithTheirModes() {
        Volume cfg = Volume.configMap("config", new ConfigMapVolumeSource("web",
                List.of(new KeyToPath("nginx.conf", "conf.d/site.conf", null), new KeyToPath("MODE", "mode", 0600)), 0640, false));
        Volume creds = Volume.secret("creds", new SecretVolumeSource("db", List.of(new KeyToPath("password", "pw", null)), 0400, false));
        PodConfig.Volumes v = PodConfig.volumes(withVolumes(cfg, creds), "shop", OBJECTS);
        assertThat(v.volumes().get(0).files()).extracting(PodConfig.File::path, PodConfig.File::mode, PodConfig.File::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("conf.d/site.conf", 0640, "server {}\n"),
                        org.assertj.core.groups.Tuple.tuple("mode", 0600, "cm"));
        PodConfig.VolumeContent secret = v.volumes().get(1);
        assertThat(secret.secret()).isTrue();
        assertThat(secret.inMemory()).isTrue();
        assertThat(secret.files()).extracting(PodConfig.File::path, PodConfig.File::mode, PodConfig.File::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pw", 0400, PASSWORD));
    }

    @Test
    void aMissingObjectOrKeyFailsTheMountUnlessOptional() {
        assertThat(PodConfig.volumes(withVolumes(Volume.configMap("config", new ConfigMapVolumeSource("nope", null, null, false))), "shop", OBJECTS).error())
                .isEqualTo("MountVolume.SetUp failed for volume \"config\" : configmap \"nope\" not found");
        assertThat(PodConfig.volumes(withVolumes(Volume.secret("creds", new SecretVolumeSource("nope", null, null, false))), "shop", OBJECTS).error())
                .isEqualTo("MountVolume.SetUp failed for volume \"creds\" : secret \"nope\" not found");
        assertThat(PodConfig.volumes(withVolumes(Volume.configMap("config", new ConfigMapVolumeSource("web",
                List.of(new KeyToPath("k", "k", null)), null, false))), "shop", OBJECTS).error())
                .isEqualTo("MountVolume.SetUp failed for volume \"config\" : configmap references non-existent config key: k");
        assertThat(PodConfig.volumes(withVolumes(Volume.secret("creds", new SecretVolumeSource("db",
                List.of(new KeyToPath("k", "k", null)), null, false))), "shop", OBJECTS).error())
                .isEqualTo("MountVolume.SetUp failed for volume \"creds\" : references non-existent secret key: k");
        PodConfig.Volumes optional = PodConfig.volumes(withVolumes(Volume.secret("creds", new SecretVolumeSource("nope", null, null, true)),
                Volume.configMap("config", new ConfigMapVolumeSource("web", List.of(new KeyToPath("k", "k", null), new KeyToPath("MODE", "m", null)), null, true))),
                "shop", OBJECTS);
        assertThat(optional.ok()).isTrue();
        assertThat(optional.volumes().get(0).files()).isEmpty();
        assertThat(optional.volumes().get(1).files()).extracting(PodConfig.File::path).containsExactly("m");
    }

    @Test
    void emptyDirsCarryTheirMedium() {
        PodConfig.Volumes v = PodConfig.volumes(withVolumes(Volume.emptyDir("scratch", new EmptyDirVolumeSource("", null)),
                Volume.emptyDir("fast", new EmptyDirVolumeSource("Memory", 1L << 20))), "shop", OBJECTS);
        assertThat(v.volumes()).extracting(PodConfig.VolumeContent::isEmptyDir, PodConfig.VolumeContent::inMemory)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(true, false), org.assertj.core.groups.Tuple.tuple(true, true));
    }

    @Test
    void noSecretValueInAnyTextTheResolverGives() {
        Volume creds = Volume.secret("creds", new SecretVolumeSource("db", null, null, false));
        PodConfig.Volumes v = PodConfig.volumes(withVolumes(creds), "shop", OBJECTS);
        assertThat(v.toString()).doesNotContain(PASSWORD).doesNotContain(b64(PASSWORD)).contains("password");
        assertThat(OBJECTS.toString()).doesNotContain(PASSWORD).doesNotContain(b64(PASSWORD));
        String error = PodConfig.env(container(null, List.of(), List.of(secretKey("A", "db", "nope", false))), "shop", OBJECTS).error();
        assertThat(error).doesNotContain(PASSWORD);
    }

    @Test
    void theCacheFollowsAppliesDeletesAndTombstonesWithinItsBounds() {
        ConfigObjects s = ConfigCore.fold(OBJECTS, new ConfigMapDeleted("shop", "web"));
        assertThat(s.configMap("shop", "web")).isNull();
        s = ConfigCore.tombstone(s, "berth.secrets", "shop/db");
        assertThat(s.secret("shop", "db")).isNull();
        assertThat(s.chars()).isZero();
        s = ConfigCore.fold(s, new SecretApplied(new SecretSpec(null, "db", SecretSpec.OPAQUE, Map.of("k", b64("v")), null, false)));
        assertThat(s.secret("default", "db")).isNotNull();
        ConfigObjects full = ConfigObjects.EMPTY;
        for (int i = 0; i < ConfigObjects.MAX_OBJECTS + 5; i++) full = full.put(new ConfigMapSpec("ns", "m" + i, Map.of(), null, null, false));
        assertThat(full.configMaps()).hasSize(ConfigObjects.MAX_OBJECTS);
    }
}
