package dev.berth.bus.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.bus.labels.LabelSelector.Expression;
import dev.berth.bus.labels.LabelSelector.InvalidSelector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSelectorTest {
    static final Map<String, String> WEB = Map.of("app", "web", "tier", "frontend", "env", "prod", "app.kubernetes.io/name", "shop",
            "rank", "7");

    static Stream<Arguments> matching() {
        return Stream.of(
                Arguments.of("", true),
                Arguments.of("   ", true),
                Arguments.of("app=web", true),
                Arguments.of("app==web", true),
                Arguments.of("app = web", true),
                Arguments.of("app=db", false),
                Arguments.of("app!=db", true),
                Arguments.of("app!=web", false),
                Arguments.of("missing!=x", true),
                Arguments.of("missing=x", false),
                Arguments.of("app", true),
                Arguments.of("missing", false),
                Arguments.of("!missing", true),
                Arguments.of("!app", false),
                Arguments.of("env in (prod,qa)", true),
                Arguments.of("env in (qa, dev)", false),
                Arguments.of("env in(prod)", true),
                Arguments.of("env notin (qa,dev)", true),
                Arguments.of("env notin (prod)", false),
                Arguments.of("missing notin (prod)", true),
                Arguments.of("missing in (prod)", false),
                Arguments.of("app=web,tier=frontend", true),
                Arguments.of("app=web, tier=backend", false),
                Arguments.of("app=web,!legacy,env in (prod)", true),
                Arguments.of("app.kubernetes.io/name=shop", true),
                Arguments.of("rank>5", true),
                Arguments.of("rank<5", false),
                Arguments.of("app>5", false),
                Arguments.of("tier=", false),
                Arguments.of("missing=", false),
                Arguments.of("missing!=", true));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("matching")
    void matchesAsKubernetesDoes(String selector, boolean matches) throws InvalidSelector {
        assertThat(LabelSelector.parse(selector).matches(WEB)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"=web", "app=web,", ",app=web", "app=web,,tier=x", "app in prod", "app in (prod", "app in ()",
            "app notin ()", "app=web=x", "app === web", "!app=web", "app=(web)", "-app=web", "app-=web", "a/b/c=x", "/app=x",
            "UPPER.Prefix/app=x", "app=-web", "app=web-", "app like web", "rank>x", "rank<",
            "app=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
            "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk=v", "in in", "app in (a b)", "app!", "!", "!!app"})
    void rejectsWhatKubernetesRejects(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector)).isInstanceOf(InvalidSelector.class);
    }

    @Test
    void printsLikeKubectl() throws InvalidSelector {
        assertThat(LabelSelector.parse("env in (qa,prod), app = web ,!legacy,tier").toString())
                .isEqualTo("env in (prod,qa),app=web,!legacy,tier");
        assertThat(LabelSelector.matchLabels(Map.of("tier", "frontend", "app", "web")).toString()).isEqualTo("app=web,tier=frontend");
    }

    @Test
    void manifestSelectorsAndMatchLabelsAreAnded() throws InvalidSelector {
        LabelSelector s = LabelSelector.of(Map.of("app", "web"), List.of(new Expression("env", "In", List.of("prod", "qa")),
                new Expression("legacy", "DoesNotExist", null)));
        assertThat(s.matches(WEB)).isTrue();
        assertThat(s.matches(Map.of("app", "web", "env", "dev"))).isFalse();
        assertThat(s.matches(Map.of("app", "web", "env", "qa", "legacy", "yes"))).isFalse();
        assertThatThrownBy(() -> LabelSelector.of(Map.of(), List.of(new Expression("env", "Like", List.of("x")))))
                .hasMessageContaining("not one of In, NotIn, Exists, DoesNotExist");
        assertThatThrownBy(() -> LabelSelector.of(Map.of(), List.of(new Expression("env", "Exists", List.of("x")))))
                .hasMessageContaining("must be empty");
        assertThatThrownBy(() -> LabelSelector.of(Map.of("bad key", "x"), List.of())).isInstanceOf(InvalidSelector.class);
    }

    @Test
    void anEmptySelectorMatchesEverythingIncludingNoLabels() throws InvalidSelector {
        assertThat(LabelSelector.parse("").matches(null)).isTrue();
        assertThat(LabelSelector.matchLabels(Map.of()).matches(Map.of())).isTrue();
    }

    @Test
    void hostileSelectorsAreBoundedAndNeverEchoedWhole() {
        String huge = "app=" + "x".repeat(10_000);
        assertThatThrownBy(() -> LabelSelector.parse(huge)).hasMessageNotContaining("x".repeat(100));
        String many = String.join(",", IntStream.range(0, 100).mapToObj(i -> "k" + i).toList());
        assertThatThrownBy(() -> LabelSelector.parse(many)).hasMessageContaining("at most 64");
        String value = "app=" + "v".repeat(300);
        assertThatThrownBy(() -> LabelSelector.parse(value)).hasMessageNotContaining("v".repeat(100));
    }

    /** Printing a parsed selector and parsing it again gives the same selector, for 500 random ones. */
    @Test
    void printedSelectorsParseBackToThemselvesAndMatchAPlainReading() throws InvalidSelector {
        Random random = new Random(7);
        List<String> keys = List.of("app", "tier", "env", "x.io/team");
        List<String> values = List.of("web", "db", "prod", "", "a.b_c-d");
        for (int n = 0; n < 500; n++) {
            StringBuilder text = new StringBuilder();
            int count = 1 + random.nextInt(3);
            for (int r = 0; r < count; r++) {
                if (r > 0) text.append(random.nextBoolean() ? "," : " , ");
                String k = keys.get(random.nextInt(keys.size()));
                String v = values.get(random.nextInt(values.size()));
                switch (random.nextInt(6)) {
                    case 0 -> text.append(k).append('=').append(v);
                    case 1 -> text.append(k).append("!=").append(v);
                    case 2 -> text.append(k).append(" in (").append(v.isEmpty() ? "web" : v).append(",db)");
                    case 3 -> text.append(k).append(" notin (").append(v.isEmpty() ? "web" : v).append(')');
                    case 4 -> text.append(k);
                    default -> text.append('!').append(k);
                }
            }
            LabelSelector s = LabelSelector.parse(text.toString());
            assertThat(LabelSelector.parse(s.toString())).as(text.toString()).isEqualTo(s);
            Map<String, String> labels = new HashMap<>();
            for (String k : keys) if (random.nextBoolean()) labels.put(k, values.get(random.nextInt(values.size())));
            boolean plain = s.requirements().stream().allMatch(req -> switch (req.operator()) {
                case EQUALS, IN -> labels.containsKey(req.key()) && req.values().contains(labels.get(req.key()));
                case NOT_EQUALS, NOT_IN -> !labels.containsKey(req.key()) || !req.values().contains(labels.get(req.key()));
                case EXISTS -> labels.containsKey(req.key());
                case DOES_NOT_EXIST -> !labels.containsKey(req.key());
                default -> throw new AssertionError();
            });
            assertThat(s.matches(labels)).as(text + " on " + labels).isEqualTo(plain);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "app.kubernetes.io/name", "a", "A_b.c-9", "x.y.z/a", "k8s.io/x"})
    void validKeys(String key) {
        assertThat(Labels.checkKey(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a", "a/", "-a", "a-", "a b", "Ünicode", "X.io/a", "a..b/c/d", "a/b/c"})
    void invalidKeys(String key) {
        assertThat(Labels.checkKey(key)).isPresent();
    }

    @Test
    void labelMapsAreBoundedInCount() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 65; i++) many.put("k" + i, "v");
        assertThat(Labels.check(many)).contains("at most 64 labels, got 65");
        assertThat(Labels.check(Map.of("app", "web"))).isEmpty();
    }
}
