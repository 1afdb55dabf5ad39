package dev.berth.node.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kubernetes' rules for command/args/env/workingDir/user over an image config; pure, no root. */
class ImageConfigTest {

    static final ImageConfig NGINX = new ImageConfig(List.of("/docker-entrypoint.sh"), List.of("nginx", "-g", "daemon off;"),
            List.of("PATH=/usr/local/bin:/usr/bin", "NGINX_VERSION=1.25.3", "EMPTY="), "/usr/share/nginx", "", "linux", "amd64", List.of());

    static List<String> list(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
    }

    @ParameterizedTest(name = "command=[{0}] args=[{1}] -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // pod command | pod args | argv
            "- | - | /docker-entrypoint.sh nginx -g daemon off;",
            "'' | '' | /docker-entrypoint.sh nginx -g daemon off;",
            "/bin/sh | - | /bin/sh",                                // command drops the image's Cmd too
            "/bin/sh -c | 'true' | /bin/sh -c true",
            "- | nginx -T | /docker-entrypoint.sh nginx -T",         // args replace Cmd only
            "sleep | 10 | sleep 10",
            "echo $(NGINX_VERSION) | - | echo 1.25.3",
            "echo | $(NGINX_VERSION) $$(NGINX_VERSION) $(UNSET) | echo 1.25.3 $(NGINX_VERSION) $(UNSET)",
            "echo $(FROM_POD) | - | echo pod",
            "echo | a$(EMPTY)b | echo ab",
            "echo | $(unterminated | echo $(unterminated",
            "echo | $$ $x | echo $ $x",
    })
    void commandAndArgs(String command, String args, String argv) {
        ProcessSpec p = NGINX.resolve(list(command), list(args), Map.of("FROM_POD", "pod"), null, null, null, null);
        assertThat(String.join(" ", p.argv())).isEqualTo(argv);
    }

    @Test
    void nothingToRunIsAConfigError() {
        ImageConfig empty = new ImageConfig(List.of(), List.of(), List.of(), "", "", "linux", "amd64", List.of());
        assertThatThrownBy(() -> empty.resolve(null, null, null, null, null, null, null))
                .isInstanceOf(ImageException.class).hasMessageContaining("no command specified")
                .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo("CreateContainerConfigError"));
        assertThat(empty.resolve(null, List.of("/bin/true"), null, null, null, null, null).argv()).containsExactly("/bin/true");
    }

    @Test
    void envOfThePodOverridesTheImagesAndPathDefaults() {
        Map<String, String> pod = new LinkedHashMap<>();
        pod.put("NGINX_VERSION", "mine");
        pod.put("NEW", "1");
        ProcessSpec p = NGINX.resolve(null, null, pod, null, null, null, null);
        assertThat(p.envList()).containsExactly("PATH=/usr/local/bin:/usr/bin", "NGINX_VERSION=mine", "EMPTY=", "NEW=1");
        ImageConfig noPath = new ImageConfig(List.of("x"), List.of(), List.of(), "", "", "linux", "amd64", List.of());
        assertThat(noPath.resolve(null, null, null, null, null, null, null).env()).containsEntry("PATH", ImageConfig.DEFAULT_PATH);
    }

    @Test
    void workingDirOfThePodWinsThenTheImagesThenRoot() {
        assertThat(NGINX.resolve(null, null, null, null, null, null, null).cwd()).isEqualTo("/usr/share/nginx");
        assertThat(NGINX.resolve(null, null, null, "/srv", null, null, null).cwd()).isEqualTo("/srv");
        ImageConfig none = new ImageConfig(List.of("x"), List.of(), List.of(), "", "", "linux", "amd64", List.of());
        assertThat(none.resolve(null, null, null, null, null, null, null).cwd()).isEqualTo("/");
        assertThatThrownBy(() -> NGINX.resolve(null, null, null, "relative", null, null, null)).hasMessageContaining("not absolute");
    }

    @TempDir
    Path rootfs;

    void passwd() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n# comment\nnginx:x:101:101:nginx:/nonexistent:/bin/false\n"
                + "app:x:1000:1000::/home/app:/bin/sh\nbroken:x:abc:1::/:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnginx:x:101:\napp:x:1000:\nwww:x:33:nginx,app\nadm:x:4:app\n");
    }

    @ParameterizedTest(name = "User \"{0}\" runAsUser={1} runAsGroup={2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // image User | runAsUser | runAsGroup | uid | gid | extra gids
            "'' | - | - | 0 | 0 | ''",
            "root | - | - | 0 | 0 | ''",
            "nginx | - | - | 101 | 101 | 33",
            "app | - | - | 1000 | 1000 | 33 4",
            "1000 | - | - | 1000 | 1000 | 33 4",        // a uid in passwd takes its primary group
            "4242 | - | - | 4242 | 0 | ''",              // not in passwd: gid 0, as Docker does
            "4242:4243 | - | - | 4242 | 4243 | ''",
            "app:www | - | - | 1000 | 33 | 4",
            "nginx:0 | - | - | 101 | 0 | 33",
            "app | 5 | - | 5 | 0 | ''",                  // runAsUser wins over the image's User
            "app | - | 7 | 1000 | 7 | 33 4",
            "'' | 101 | 9 | 101 | 9 | 33",
    })
    void users(String user, Long runAsUser, Long runAsGroup, long uid, long gid, String extra) throws IOException {
        passwd();
        ImageConfig c = new ImageConfig(List.of("x"), List.of(), List.of(), "", user, "linux", "amd64", List.of());
        ProcessSpec p = c.resolve(null, null, null, null, runAsUser, runAsGroup, rootfs);
        assertThat(p.uid()).isEqualTo(uid);
        assertThat(p.gid()).isEqualTo(gid);
        assertThat(p.additionalGids()).containsExactlyElementsOf(list(extra).stream().map(Long::parseLong).toList());
    }

    @ParameterizedTest(name = "User \"{0}\" securityContext({1}, {2}, runAsNonRoot={3}) -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // image User | runAsUser | runAsGroup | runAsNonRoot | uid:gid, or the CreateContainerConfigError message
            "'' | - | - | - | 0:0",
            "'' | - | - | false | 0:0",
            "'' | - | - | true | container has runAsNonRoot and image will run as root",
            "0 | - | - | true | container has runAsNonRoot and image will run as root",
            "root | - | - | true | container has runAsNonRoot and image will run as root",
            "1000 | - | - | true | 1000:1000",
            "4242:7 | - | - | true | 4242:7",
            "app | - | - | true | container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root",
            "app | 1000 | - | true | 1000:1000",            // runAsUser is numeric: trusted
            "'' | 5 | 6 | true | 5:6",
            "'' | 0 | - | true | container's runAsUser breaks non-root policy",
            "app | 0 | - | - | 0:0",                        // root on request, without runAsNonRoot
            "app | - | 33 | - | 1000:33",
    })
    void securityContextOverTheImagesUser(String user, Long runAsUser, Long runAsGroup, Boolean runAsNonRoot, String expected)
            throws IOException {
        passwd();
        ImageConfig c = new ImageConfig(List.of("x"), List.of(), List.of(), "", user, "linux", "amd64", List.of());
        var context = new dev.berth.bus.contract.SecurityContext(runAsUser, runAsGroup, runAsNonRoot);
        if (expected.matches("[0-9]+:[0-9]+")) {
            ProcessSpec p = c.resolve(null, null, null, null, context, rootfs);
            assertThat(p.uid() + ":" + p.gid()).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> c.resolve(null, null, null, null, context, rootfs)).isInstanceOf(ImageException.class)
                    .hasMessage(expected)
                    .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo("CreateContainerConfigError"));
        }
    }

    @Test
    void noSecurityContextIsTheImagesUserAndThePodsWorkingDirWins() {
        ProcessSpec p = NGINX.resolve(null, null, null, "/srv", null, null);
        assertThat(p.uid()).isZero();
        assertThat(p.cwd()).isEqualTo("/srv");
    }

    @Test
    void unknownNamesAndMalformedEntriesAreConfigErrors() throws IOException {
        passwd();
        for (String user : List.of("nobody", "app:nogroup", "broken")) {
            ImageConfig c = new ImageConfig(List.of("x"), List.of(), List.of(), "", user, "linux", "amd64", List.of());
            assertThatThrownBy(() -> c.resolve(null, null, null, null, null, null, rootfs)).isInstanceOf(ImageException.class)
                    .satisfies(e -> assertThat(((ImageException) e).reason()).isEqualTo("CreateContainerConfigError"));
        }
    }

    @Test
    void aSymlinkedPasswdIsNotFollowed() throws IOException {
        Path host = Files.writeString(rootfs.resolveSibling(rootfs.getFileName() + "-hostpasswd"), "evil:x:0:0::/:/bin/sh\n");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), host);
        ImageConfig c = new ImageConfig(List.of("x"), List.of(), List.of(), "", "evil", "linux", "amd64", List.of());
        assertThatThrownBy(() -> c.resolve(null, null, null, null, null, null, rootfs)).hasMessageContaining("unable to find user evil");
        Files.delete(host);
    }

    @Test
    void parsesAnOciConfig() {
        String json = """
                {"architecture":"amd64","os":"linux","config":{"User":"app","Env":["A=1"],"Entrypoint":["/e"],"Cmd":["c"],
                 "WorkingDir":"/w"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}""".formatted("a".repeat(64));
        ImageConfig c = ImageConfig.parse(json.getBytes(StandardCharsets.UTF_8));
        assertThat(c.entrypoint()).containsExactly("/e");
        assertThat(c.cmd()).containsExactly("c");
        assertThat(c.user()).isEqualTo("app");
        assertThat(c.workingDir()).isEqualTo("/w");
        assertThat(c.diffIds()).hasSize(1);
        assertThatThrownBy(() -> ImageConfig.parse("{\"rootfs\":{\"diff_ids\":[\"md5:x\"]}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("bad image config");
        ImageConfig nulls = ImageConfig.parse("{\"config\":{\"Entrypoint\":null,\"Cmd\":null}}".getBytes(StandardCharsets.UTF_8));
        assertThat(nulls.entrypoint()).isEmpty();
    }

    @Test
    void pullPolicyDefaultsAsKubernetes() {
        assertThat(PullPolicy.of(null, ImageReference.parse("nginx"))).isEqualTo(PullPolicy.ALWAYS);
        assertThat(PullPolicy.of("", ImageReference.parse("nginx:latest"))).isEqualTo(PullPolicy.ALWAYS);
        assertThat(PullPolicy.of(null, ImageReference.parse("nginx:1.25"))).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        assertThat(PullPolicy.of(null, ImageReference.parse("nginx@sha256:" + "a".repeat(64)))).isEqualTo(PullPolicy.IF_NOT_PRESENT);
        assertThat(PullPolicy.of("Never", ImageReference.parse("nginx"))).isEqualTo(PullPolicy.NEVER);
        assertThatThrownBy(() -> PullPolicy.of("always", ImageReference.parse("nginx"))).hasMessageContaining("Always, IfNotPresent or Never");
    }

    @Test
    void credentialsFromADockerConfig() throws IOException {
        String b64 = java.util.Base64.getEncoder().encodeToString("u:p:with:colons".getBytes(StandardCharsets.UTF_8));
        RegistryCredentials c = RegistryCredentials.parse(("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64 + "\"},"
                + "\"http://127.0.0.1:5000\":{\"username\":\"a\",\"password\":\"b\"},\"ghcr.io\":{}}}").getBytes(StandardCharsets.UTF_8));
        assertThat(c.forDomain("docker.io")).contains(new RegistryCredentials.Basic("u", "p:with:colons"));
        assertThat(c.forDomain("127.0.0.1:5000")).contains(new RegistryCredentials.Basic("a", "b"));
        assertThat(c.forDomain("ghcr.io")).isEmpty();
        assertThat(c.forDomain("quay.io")).isEmpty();
        assertThat(c.forDomain("docker.io").get().toString()).doesNotContain("p:with");
        assertThatThrownBy(() -> RegistryCredentials.parse("{\"auths\":{\"x\":{\"auth\":\"!!\"}}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not base64");
        assertThat(RegistryCredentials.load(rootfs.resolve("absent.json"))).isSameAs(RegistryCredentials.NONE);
    }

    @Test
    void plainHttpOnlyForLoopbackAndListedRegistries() {
        RegistryClient c = new RegistryClient(RegistryCredentials.NONE, Set.of("registry.lan:5000", "10.0.0.9"), Duration.ofSeconds(1));
        for (String host : List.of("localhost", "localhost:5000", "127.0.0.1", "127.0.0.1:5000", "127.1.2.3:80", "[::1]:5000",
                "registry.lan:5000", "10.0.0.9", "10.0.0.9:443")) {
            assertThat(c.plainHttpAllowed(host)).as(host).isTrue();
        }
        for (String host : List.of("docker.io", "registry-1.docker.io", "128.0.0.1", "10.0.0.8:5000", "registry.lan",
                "registry.lan:5001", "localhost.evil.com", "127.0.0.1.nip.io", "[::2]:5000")) {
            assertThat(c.plainHttpAllowed(host)).as(host).isFalse();
        }
    }

    @Test
    void indexesPickTheNodesPlatform() {
        var index = Manifests.read(("""
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":1,"platform":{"os":"unknown","architecture":"unknown"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":1,"platform":{"os":"linux","architecture":"arm","variant":"v7"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":1,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
                 {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":1,"platform":{"os":"linux","architecture":"amd64"}}]}
                """).formatted("0".repeat(64), "1".repeat(64), "2".repeat(64), "3".repeat(64)).getBytes(StandardCharsets.UTF_8), "index");
        assertThat(Manifests.isIndex(index, "")).isTrue();
        assertThat(Manifests.pick(index, "linux", "amd64", "", "i").digest().hex()).isEqualTo("3".repeat(64));
        assertThat(Manifests.pick(index, "linux", "arm64", "", "i").digest().hex()).isEqualTo("2".repeat(64));
        assertThat(Manifests.pick(index, "linux", "arm", "v7", "i").digest().hex()).isEqualTo("1".repeat(64));
        assertThatThrownBy(() -> Manifests.pick(index, "linux", "s390x", "", "i"))
                .hasMessageContaining("no image for platform linux/s390x").hasMessageContaining("linux/amd64");
        assertThatThrownBy(() -> Manifests.manifest(Manifests.read("{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8), "m"), "m"))
                .hasMessageContaining("schema 1");
    }
}
