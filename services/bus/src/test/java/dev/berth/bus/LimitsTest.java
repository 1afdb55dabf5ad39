package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LimitsTest {

    @Test
    void anExcerptIsBoundedAndSaysHowLongTheOriginalWas() {
        String big = "x".repeat(400_000);
        String e = Limits.excerpt(big);
        assertThat(e).hasSizeLessThanOrEqualTo(Limits.EXCERPT_MAX_CHARS).startsWith("xxx").endsWith("... (400000 characters)");
        assertThat(Limits.excerpt("short")).isEqualTo("short");
        assertThat(Limits.excerpt(null)).isNull();
    }

    @Test
    void anExcerptNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00".repeat(1000);
        String e = Limits.excerpt(emoji, 101);
        String kept = e.substring(0, e.indexOf("..."));
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    }

    @Test
    void problemsAreBoundedInCountAndLength() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) many.add("problem " + i + " " + "y".repeat(5000));
        List<String> bounded = Limits.boundedProblems(many);
        assertThat(bounded).hasSize(Limits.PROBLEMS_MAX_ITEMS);
        assertThat(bounded).allSatisfy(p -> assertThat(p).hasSizeLessThanOrEqualTo(Limits.PROBLEM_MAX_LENGTH));
        assertThat(bounded.get(bounded.size() - 1)).isEqualTo("... and 981 more problems");
        assertThat(Limits.boundedProblems(List.of("a", "b"))).containsExactly("a", "b");
    }

    @Test
    void utf8BytesCountsLikeTheEncoder() {
        String s = "aé€\uD83D\uDE00\uD800x\uDC00"; // 1 + 2 + 3 + 4, lone surrogates as '?'
        assertThat(Limits.utf8Bytes(s)).isEqualTo(s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isEqualTo(1 + 2 + 3 + 4 + 1 + 1 + 1);
        assertThat(Limits.utf8Bytes("plain")).isEqualTo(5);
    }

    @Test
    void aPlainNameStaysInsideItsDirectory(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThat(Limits.inside(dir, "web-7d4kq")).isEqualTo(dir.toAbsolutePath().normalize().resolve("web-7d4kq"));
        assertThat(Limits.inside(dir.resolve("a/../b"), "pod.log").getParent()).isEqualTo(dir.toAbsolutePath().resolve("b"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../etc", "a/b", "/etc/passwd", "a\\b", "x\u0000y"})
    void aNameThatLeavesItsDirectoryIsRefused(String name) {
        assertThatThrownBy(() -> Limits.inside(Path.of("/var/lib/berth/bundles"), name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namePatternsAreKubernetes() {
        assertThat(Limits.DNS_LABEL.matcher("a".repeat(63)).matches()).isTrue();
        assertThat(Limits.DNS_LABEL.matcher("a".repeat(64)).matches()).isFalse();
        for (String bad : List.of("Web", "web_1", "-web", "web-", "we.b", "")) assertThat(Limits.DNS_LABEL.matcher(bad).matches()).as(bad).isFalse();
        assertThat(Limits.DNS_SUBDOMAIN.matcher("node-1.rack-2.example").matches()).isTrue();
        assertThat(Limits.DNS_SUBDOMAIN.matcher("node..1").matches()).isFalse();
        assertThat(Limits.LABEL_KEY.matcher("topology.kubernetes.io/zone").matches()).isTrue();
        assertThat(Limits.LABEL_KEY.matcher("Disk_Type.v2").matches()).isTrue();
        assertThat(Limits.LABEL_KEY.matcher("a/b/c").matches()).isFalse();
        assertThat(Limits.LABEL_KEY.matcher("x".repeat(64)).matches()).as("name part over 63").isFalse();
        assertThat(Limits.LABEL_VALUE.matcher("").matches()).isTrue();
        assertThat(Limits.LABEL_VALUE.matcher("ssd-").matches()).isFalse();
        assertThat(Limits.ENV_NAME.matcher("GREETING_1").matches()).isTrue();
        assertThat(Limits.ENV_NAME.matcher("1GREETING").matches()).isFalse();
        assertThat(Limits.IMAGE.matcher("registry.example:5000/team/app:1.2@sha256:abc").matches()).isTrue();
        assertThat(Limits.IMAGE.matcher("busy box").matches()).isFalse();
        assertThat(Limits.IMAGE.matcher("busybox\n").matches()).isFalse();
    }
}
