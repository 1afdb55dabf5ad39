package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Cases after distribution/reference's reference_test.go and normalize_test.go. */
class ImageReferenceTest {

    static final String D = "sha256:" + "a".repeat(64);
    static final String D2 = "sha256:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // input | domain | path | tag | digest | familiar
            "busybox | docker.io | library/busybox | latest | - | busybox:latest",
            "busybox:1.36 | docker.io | library/busybox | 1.36 | - | busybox:1.36",
            "library/busybox | docker.io | library/busybox | latest | - | busybox:latest",
            "docker.io/busybox | docker.io | library/busybox | latest | - | busybox:latest",
            "docker.io/library/busybox:1 | docker.io | library/busybox | 1 | - | busybox:1",
            "index.docker.io/busybox | docker.io | library/busybox | latest | - | busybox:latest",
            "index.docker.io/library/nginx:1.25 | docker.io | library/nginx | 1.25 | - | nginx:1.25",
            "bitnami/redis:7.2 | docker.io | bitnami/redis | 7.2 | - | bitnami/redis:7.2",
            "docker.io/bitnami/redis | docker.io | bitnami/redis | latest | - | bitnami/redis:latest",
            "a/b/c | docker.io | a/b/c | latest | - | a/b/c:latest",
            "localhost/app | localhost | app | latest | - | localhost/app:latest",
            "localhost:5000/app:v1 | localhost:5000 | app | v1 | - | localhost:5000/app:v1",
            "127.0.0.1:5000/team/app:v2 | 127.0.0.1:5000 | team/app | v2 | - | 127.0.0.1:5000/team/app:v2",
            "registry.k8s.io/pause:3.9 | registry.k8s.io | pause | 3.9 | - | registry.k8s.io/pause:3.9",
            "gcr.io/google-samples/gb-frontend:v5 | gcr.io | google-samples/gb-frontend | v5 | - | gcr.io/google-samples/gb-frontend:v5",
            "us-docker.pkg.dev/google-samples/microservices-demo/frontend:v0.10.1 | us-docker.pkg.dev | google-samples/microservices-demo/frontend | v0.10.1 | - | us-docker.pkg.dev/google-samples/microservices-demo/frontend:v0.10.1",
            "quay.io/coreos/etcd:v3.5.9 | quay.io | coreos/etcd | v3.5.9 | - | quay.io/coreos/etcd:v3.5.9",
            "ghcr.io/owner/repo/sub:sha-1234 | ghcr.io | owner/repo/sub | sha-1234 | - | ghcr.io/owner/repo/sub:sha-1234",
            "Foo.Example.com/app | Foo.Example.com | app | latest | - | Foo.Example.com/app:latest",
            "Uppercase/app | Uppercase | app | latest | - | Uppercase/app:latest",
            "[::1]:5000/app:v | [::1]:5000 | app | v | - | [::1]:5000/app:v",
            "[2001:db8::1]/app | [2001:db8::1] | app | latest | - | [2001:db8::1]/app:latest",
            "host:5000/a_b/c__d/e-f/g--h/i.j | host:5000 | a_b/c__d/e-f/g--h/i.j | latest | - | host:5000/a_b/c__d/e-f/g--h/i.j:latest",
            "example.com:443/app:Tag_1.x-Y | example.com:443 | app | Tag_1.x-Y | - | example.com:443/app:Tag_1.x-Y",
            "app:_under | docker.io | library/app | _under | - | app:_under",
            "app:0 | docker.io | library/app | 0 | - | app:0",
            "app:latest | docker.io | library/app | latest | - | app:latest",
            "a | docker.io | library/a | latest | - | a:latest",
            "a0-b1 | docker.io | library/a0-b1 | latest | - | a0-b1:latest",
            "xn--bcher-kva.example/app | xn--bcher-kva.example | app | latest | - | xn--bcher-kva.example/app:latest",
            "1.2.3.4/app | 1.2.3.4 | app | latest | - | 1.2.3.4/app:latest",
            "my-registry:5000/app | my-registry:5000 | app | latest | - | my-registry:5000/app:latest",
            "library/foo/bar | docker.io | library/foo/bar | latest | - | library/foo/bar:latest",
    })
    void parsesAndNormalises(String in, String domain, String path, String tag, String digest, String familiar) {
        ImageReference r = ImageReference.parse(in);
        assertThat(r.domain()).isEqualTo(domain);
        assertThat(r.path()).isEqualTo(path);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.digest()).isEqualTo(digest);
        assertThat(r.familiar()).isEqualTo(familiar);
        assertThat(ImageReference.problem(in)).isNull();
        // Normalising is idempotent: the canonical form parses to itself.
        assertThat(ImageReference.parse(r.toString())).isEqualTo(r);
        assertThat(ImageReference.parse(r.familiar())).isEqualTo(r);
    }

    @Test
    void digestsPinAndKeepTheTagWhenBothAreGiven() {
        ImageReference byDigest = ImageReference.parse("busybox@" + D);
        assertThat(byDigest.tag()).isNull();
        assertThat(byDigest.digest()).isEqualTo(D);
        assertThat(byDigest.manifestReference()).isEqualTo(D);
        assertThat(byDigest.toString()).isEqualTo("docker.io/library/busybox@" + D);
        assertThat(byDigest.isLatest()).isFalse();
        ImageReference both = ImageReference.parse("127.0.0.1:5000/app:v1@" + D2);
        assertThat(both.tag()).isEqualTo("v1");
        assertThat(both.digest()).isEqualTo(D2);
        assertThat(both.manifestReference()).isEqualTo(D2);
        assertThat(both.withoutDigest().toString()).isEqualTo("127.0.0.1:5000/app:v1");
        assertThat(ImageReference.parse("a@sha512:" + "0".repeat(128)).digest()).startsWith("sha512:");
        assertThat(ImageReference.parse("a@sha384:" + "0".repeat(96)).digest()).startsWith("sha384:");
    }

    @Test
    void latestAndUntaggedMeanPullAlways() {
        assertThat(ImageReference.parse("nginx").isLatest()).isTrue();
        assertThat(ImageReference.parse("nginx:latest").isLatest()).isTrue();
        assertThat(ImageReference.parse("nginx:1.25").isLatest()).isFalse();
        assertThat(ImageReference.parse("nginx@" + D).isLatest()).isFalse();
    }

    @Test
    void dockerHubIsServedFromItsRegistryHost() {
        assertThat(ImageReference.parse("nginx").registryHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("localhost:5000/nginx").registryHost()).isEqualTo("localhost:5000");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "'' | empty reference",
            ": | invalid tag",
            ":tag | empty name",
            "@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | empty name",
            "Busybox | must be lowercase",
            "docker.io/Library/busybox | must be lowercase",
            "localhost/App | must be lowercase",
            "busybox:  | invalid tag",
            "busybox: | invalid tag",
            "busybox:-tag | invalid tag",
            "busybox:.tag | invalid tag",
            "busybox:ta/g | invalid registry host",
            "busybox:ta@g | invalid digest",
            "busybox@sha256:abc | invalid digest",
            "busybox@sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | lowercase hex",
            "busybox@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | invalid sha256 digest",
            "busybox@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | invalid sha256 digest",
            "busybox@md5:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | unsupported digest algorithm",
            "busybox@sha256 | invalid digest",
            "busybox@:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | invalid digest",
            "busybox@@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | invalid digest",
            "-busybox | invalid repository name",
            "busybox- | invalid repository name",
            "bu..sybox | invalid repository name",
            "bu___sybox | invalid repository name",
            "_busybox | invalid repository name",
            "busybox_ | invalid repository name",
            "a//b | invalid repository name",
            "a/ | invalid repository name",
            "/a | invalid repository name",
            "a/b/ | invalid repository name",
            "host:5000/ | invalid repository name",
            "host:port/app | invalid registry host",
            "-host.com/app | invalid registry host",
            "host-.com/app | invalid registry host",
            "ho_st.com/app | invalid registry host",
            "[::1/app | invalid registry host",
            "[zz::1]:5000/app | invalid registry host",
            "a b | invalid repository name",
            "a\tb | invalid repository name",
            "ünicode | invalid repository name",
            "app:tag:tag | invalid repository name",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | hexadecimal",
            "docker.io/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | hexadecimal",
    })
    void refusesWithAReason(String in, String why) {
        assertThatThrownBy(() -> ImageReference.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
        assertThat(ImageReference.problem(in)).contains(why);
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129, 200})
    void tagsAreAtMost128Characters(int length) {
        String tag = "t".repeat(length);
        if (length <= 128) assertThat(ImageReference.parse("a:" + tag).tag()).isEqualTo(tag);
        else assertThat(ImageReference.problem("a:" + tag)).contains("invalid tag");
    }

    @Test
    void namesAreBoundedAt255AndTheWholeReferenceAt512() {
        String name255 = "a/".repeat(127) + "b"; // 255 characters
        assertThat(ImageReference.parse(name255).path()).isEqualTo(name255);
        assertThat(ImageReference.problem(name255 + "c")).contains("longer than 255");
        assertThat(ImageReference.problem("a".repeat(600))).contains("longer than 512");
        assertThat(ImageReference.problem(null)).contains("empty");
    }

    /** Every combination of valid parts parses to those parts; every combination with one bad part fails. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void combinationsOfParts(String in, String domain, String path, String tag, String digest, boolean valid) {
        if (!valid) {
            assertThat(ImageReference.problem(in)).as(in).isNotNull();
            return;
        }
        ImageReference r = ImageReference.parse(in);
        assertThat(r.domain()).isEqualTo(domain);
        assertThat(r.path()).isEqualTo(path);
        assertThat(r.tag()).isEqualTo(tag);
        assertThat(r.digest()).isEqualTo(digest);
    }

    static Stream<Arguments> combinations() {
        // domain written -> domain meant ("" = none written)
        String[][] domains = {{"", "docker.io"}, {"docker.io/", "docker.io"}, {"localhost/", "localhost"},
                {"localhost:5000/", "localhost:5000"}, {"127.0.0.1:5000/", "127.0.0.1:5000"},
                {"registry.example.com/", "registry.example.com"}, {"r.io:8443/", "r.io:8443"}};
        String[] paths = {"app", "team/app", "a-b/c_d/e.f", "x__y"};
        String[] tags = {null, "v1", "1.2.3-rc.1", "LATEST_x"};
        String[] digests = {null, D};
        String[] badPaths = {"App", "a..b", "team//app", "-x"};
        String[] badTags = {"-v", "v!", "t".repeat(129)};
        String[] badDigests = {"sha256:xyz", "sha1:" + "a".repeat(40), "sha256:" + "a".repeat(10)};
        List<Arguments> out = new ArrayList<>();
        for (String[] d : domains) {
            for (String p : paths) {
                String path = d[1].equals("docker.io") && !p.contains("/") ? "library/" + p : p;
                for (String t : tags) {
                    for (String g : digests) {
                        String in = d[0] + p + (t != null ? ":" + t : "") + (g != null ? "@" + g : "");
                        String tag = t == null && g == null ? "latest" : t;
                        out.add(Arguments.of(in, d[1], path, tag, g, true));
                    }
                }
                for (String bt : badTags) out.add(Arguments.of(d[0] + p + ":" + bt, null, null, null, null, false));
                for (String bg : badDigests) out.add(Arguments.of(d[0] + p + "@" + bg, null, null, null, null, false));
            }
            for (String bp : badPaths) {
                for (String t : tags) out.add(Arguments.of(d[0] + bp + (t != null ? ":" + t : ""), null, null, null, null, false));
            }
        }
        return out.stream();
    }
}
