package dev.berth.autoscaler.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.HpaBehavior;
import dev.berth.bus.contract.HpaScalingPolicy;
import dev.berth.bus.contract.HpaScalingRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Stabilization windows and rate policies as Kubernetes' normalizeDesiredReplicasWithBehaviors applies them. */
class BehaviorsTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    static HpaScalingRules rules(int window, String select, String policies) {
        List<HpaScalingPolicy> list = new ArrayList<>();
        for (String p : policies.trim().split("\\s+")) {
            // "Pods:4/15" or "Percent:100/15"
            String[] typeRest = p.split(":");
            String[] valuePeriod = typeRest[1].split("/");
            list.add(new HpaScalingPolicy(typeRest[0], Integer.parseInt(valuePeriod[0]), Integer.parseInt(valuePeriod[1])));
        }
        return new HpaScalingRules(window, select, list);
    }

    /** "replicas@secondsAgo" entries. */
    static List<Recommendation> recommendations(String spec) {
        List<Recommendation> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) return out;
        for (String r : spec.trim().split("\\s+")) {
            String[] p = r.split("@");
            out.add(Recommendation.of(NOW.minusSeconds(Long.parseLong(p[1])), Integer.parseInt(p[0])));
        }
        return out;
    }

    /** "change@secondsAgo" entries. */
    static List<ScaleEvent> events(String spec) {
        List<ScaleEvent> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) return out;
        for (String r : spec.trim().split("\\s+")) {
            String[] p = r.split("@");
            out.add(new ScaleEvent(NOW.minusSeconds(Long.parseLong(p[1])), Integer.parseInt(p[0])));
        }
        return out;
    }

    @ParameterizedTest(name = "[{index}] {0}→{1} up({2} {3} {4}) down({5} {6} {7}) recs[{8}] upEvents[{9}] downEvents[{10}] → {11} {12}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // current | proposed | upWindow | upSelect | upPolicies | downWindow | downSelect | downPolicies | recs | up events | down events | expected | limit reason
            // Kubernetes' default scale-up: the larger of +100 % and +4 pods per 15 s
            "1 | 10 | 0 | Max | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | - | - | - | 5 | ScaleUpLimit",
            "10 | 100 | 0 | Max | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | - | - | - | 15 | TooManyReplicas",
            "10 | 14 | 0 | Max | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | - | - | - | 14 | DesiredWithinRange",
            // +4 ten seconds ago: the period started at 1 replica, so 5 at most
            "5 | 10 | 0 | Max | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | - | 4@10 | - | 5 | ScaleUpLimit",
            // the same event twenty seconds ago is out of the 15 s period
            "5 | 10 | 0 | Max | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | - | 4@20 | - | 10 | DesiredWithinRange",
            // selectPolicy Min takes the smaller change
            "1 | 10 | 0 | Min | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | - | - | - | 2 | ScaleUpLimit",
            // Disabled: no scale-up at all
            "3 | 10 | 0 | Disabled | Pods:4/15 | 300 | Max | Percent:100/15 | - | - | - | 3 | ScaleUpLimit",
            // a Percent policy rounds up: 3 × 1.1 = 3.3 → 4
            "3 | 10 | 0 | Max | Percent:10/60 | 300 | Max | Percent:100/15 | - | - | - | 4 | ScaleUpLimit",
            // scale-down window: 8 was recommended 100 s ago, so the highest in the window is 8
            "8 | 2 | 0 | Max | Percent:100/15 | 300 | Max | Percent:100/15 | 8@100 | - | - | 8 | DesiredWithinRange",
            // the window passed: down to 2
            "8 | 2 | 0 | Max | Percent:100/15 | 300 | Max | Percent:100/15 | 8@301 | - | - | 2 | DesiredWithinRange",
            // within the window the highest recent one wins, not the latest
            "8 | 2 | 0 | Max | Percent:100/15 | 300 | Max | Percent:100/15 | 6@200 4@100 3@10 | - | - | 6 | DesiredWithinRange",
            // a proposal below min: min wins
            "8 | 0 | 0 | Max | Percent:100/15 | 0 | Max | Percent:100/15 | - | - | - | 1 | TooFewReplicas",
            // one pod per minute down
            "8 | 2 | 0 | Max | Percent:100/15 | 0 | Max | Pods:1/60 | - | - | - | 7 | ScaleDownLimit",
            // one already removed in this minute: none more
            "7 | 2 | 0 | Max | Percent:100/15 | 0 | Max | Pods:1/60 | - | - | 1@30 | 7 | ScaleDownLimit",
            // 50 % per minute: 10 → 5 (the period's start counts the replicas already removed)
            "10 | 1 | 0 | Max | Percent:100/15 | 0 | Max | Percent:50/60 | - | - | - | 5 | ScaleDownLimit",
            "8 | 1 | 0 | Max | Percent:100/15 | 0 | Max | Percent:50/60 | - | - | 2@30 | 5 | ScaleDownLimit",
            // Max of two down policies is the one removing more; Min the one removing fewer
            "10 | 1 | 0 | Max | Percent:100/15 | 0 | Max | Pods:2/60 Percent:50/60 | - | - | - | 5 | ScaleDownLimit",
            "10 | 1 | 0 | Max | Percent:100/15 | 0 | Min | Pods:2/60 Percent:50/60 | - | - | - | 8 | ScaleDownLimit",
            "10 | 1 | 0 | Max | Percent:100/15 | 0 | Disabled | Pods:2/60 | - | - | - | 10 | ScaleDownLimit",
            // scale-up window: the lowest recommendation of the last minute holds a scale-up back
            "3 | 9 | 60 | Max | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | 3@30 | - | - | 3 | DesiredWithinRange",
            "3 | 9 | 60 | Max | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | 5@30 7@10 | - | - | 5 | DesiredWithinRange",
            "3 | 9 | 60 | Max | Percent:100/15 Pods:4/15 | 300 | Max | Percent:100/15 | 3@61 | - | - | 7 | ScaleUpLimit",
    })
    void normalizes(int current, int proposed, int upWindow, String upSelect, String upPolicies, int downWindow, String downSelect,
                    String downPolicies, String recs, String upEvents, String downEvents, int expected, String limitReason) {
        HpaBehavior b = new HpaBehavior(rules(upWindow, upSelect, upPolicies), rules(downWindow, downSelect, downPolicies));
        Behaviors.Normalized n = Behaviors.normalize(b, 1, 15, current, proposed, recommendations(recs), events(upEvents), events(downEvents), NOW);
        assertThat(n.replicas()).isEqualTo(expected);
        assertThat(n.limitReason()).isEqualTo(limitReason);
        assertThat(n.limited()).isEqualTo(!limitReason.equals("DesiredWithinRange"));
    }

    @Test
    void saysWhichWindowHeldTheRecommendation() {
        HpaBehavior b = HpaBehavior.defaults();
        Behaviors.Normalized held = Behaviors.normalize(b, 1, 10, 8, 2, recommendations("8@100"), List.of(), List.of(), NOW);
        assertThat(held.stabilizedReason()).isEqualTo("ScaleDownStabilized");
        Behaviors.Normalized free = Behaviors.normalize(b, 1, 10, 8, 2, List.of(), List.of(), List.of(), NOW);
        assertThat(free.stabilizedReason()).isEqualTo("ReadyForNewScale");
        HpaBehavior upWindow = new HpaBehavior(rules(60, "Max", "Pods:4/15"), HpaScalingRules.defaultScaleDown());
        assertThat(Behaviors.normalize(upWindow, 1, 10, 3, 6, recommendations("3@10"), List.of(), List.of(), NOW).stabilizedReason())
                .isEqualTo("ScaleUpStabilized");
    }

    @Test
    void recordsEachProposalAndForgetsWhatNoWindowCanReach() {
        HpaBehavior b = new HpaBehavior(rules(10, "Max", "Pods:4/15"), rules(60, "Max", "Percent:100/15"));
        Behaviors.Normalized n = Behaviors.normalize(b, 1, 10, 4, 4, recommendations("9@120 7@30"), List.of(), List.of(), NOW);
        assertThat(n.recommendations()).containsExactly(Recommendation.of(NOW.minusSeconds(30), 7), Recommendation.of(NOW, 4));
    }

    @Test
    void proposalsWithinOneSecondShareAnEntryKeepingTheirLowestAndHighest() {
        List<Recommendation> recs = List.of();
        HpaBehavior b = HpaBehavior.defaults();
        Instant t = NOW;
        for (int i = 0; i < 5; i++) {
            recs = Behaviors.normalize(b, 1, 10, 5, 3 + i, recs, List.of(), List.of(), t).recommendations();
            t = t.plusMillis(150);
        }
        assertThat(recs).containsExactly(new Recommendation(NOW.plusMillis(600), 3, 7));
        // Many samples a second for an hour stay a bounded history.
        for (int i = 0; i < 3600 * 4; i++) {
            recs = Behaviors.normalize(b, 1, 10, 5, 5, recs, List.of(), List.of(), t).recommendations();
            t = t.plusMillis(250);
        }
        assertThat(recs.size()).isLessThanOrEqualTo(302);
    }

    /** 3,000 generated cases: bounds, direction, windows and single-policy rates hold whatever the history. */
    @Test
    void generatedCasesKeepTheInvariants() {
        Random random = new Random(2026);
        for (int run = 0; run < 3000; run++) {
            int min = 1 + random.nextInt(5), max = min + random.nextInt(30);
            int current = min + random.nextInt(max - min + 1);
            int proposed = random.nextInt(3 * max + 1);
            int upWindow = random.nextBoolean() ? 0 : random.nextInt(120), downWindow = random.nextInt(400);
            HpaScalingRules up = randomRules(random, upWindow), down = randomRules(random, downWindow);
            List<Recommendation> recs = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) recs.add(Recommendation.of(NOW.minusSeconds(random.nextInt(500)), random.nextInt(3 * max + 1)));
            List<ScaleEvent> upEvents = new ArrayList<>(), downEvents = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) upEvents.add(new ScaleEvent(NOW.minusSeconds(random.nextInt(120)), 1 + random.nextInt(4)));
            for (int i = random.nextInt(3); i > 0; i--) downEvents.add(new ScaleEvent(NOW.minusSeconds(random.nextInt(120)), 1 + random.nextInt(4)));
            Behaviors.Normalized n = Behaviors.normalize(new HpaBehavior(up, down), min, max, current, proposed, recs, upEvents, downEvents, NOW);
            int r = n.replicas();
            String what = "run " + run + ": " + min + ".." + max + " current " + current + " proposed " + proposed + " up " + up + " down " + down
                    + " recs " + recs + " events " + upEvents + " / " + downEvents + " -> " + r;
            assertThat(r).as(what).isBetween(min, max);
            // Never beyond the proposal, never the other way.
            assertThat(r).as(what).isBetween(Math.max(min, Math.min(current, proposed)), Math.min(max, Math.max(current, proposed)));
            // The scale-down window: nothing below the highest recent recommendation (or the current size).
            for (Recommendation rec : recs) {
                if (rec.at().isAfter(NOW.minusSeconds(downWindow)) && proposed < current) {
                    assertThat(r).as(what).isGreaterThanOrEqualTo(Math.min(current, rec.highest()));
                }
                if (rec.at().isAfter(NOW.minusSeconds(upWindow)) && proposed > current) {
                    assertThat(r).as(what).isLessThanOrEqualTo(Math.max(current, rec.lowest()));
                }
            }
            // A single policy and no events: a Pods policy moves at most its value, Percent at most its share.
            if (upEvents.isEmpty() && up.policies().size() == 1 && r > current && !HpaScalingRules.DISABLED.equals(up.selectPolicy())) {
                HpaScalingPolicy p = up.policies().get(0);
                int most = p.type().equals(HpaScalingPolicy.PODS) ? current + p.value() : (int) Math.ceil(current * (1 + p.value() / 100.0));
                assertThat(r).as(what).isLessThanOrEqualTo(most);
            }
            if (downEvents.isEmpty() && down.policies().size() == 1 && r < current && !HpaScalingRules.DISABLED.equals(down.selectPolicy())) {
                HpaScalingPolicy p = down.policies().get(0);
                int least = p.type().equals(HpaScalingPolicy.PODS) ? current - p.value() : (int) (current * (1 - p.value() / 100.0));
                assertThat(r).as(what).isGreaterThanOrEqualTo(Math.max(min, least));
            }
            if (HpaScalingRules.DISABLED.equals(up.selectPolicy())) assertThat(r).as(what).isLessThanOrEqualTo(current);
            if (HpaScalingRules.DISABLED.equals(down.selectPolicy())) assertThat(r).as(what).isGreaterThanOrEqualTo(current);
            // No history, no windows, generous policies: simply the proposal within min..max.
            if (recs.isEmpty() && upEvents.isEmpty() && downEvents.isEmpty()) {
                HpaBehavior free = new HpaBehavior(rules(0, "Max", "Percent:100000/15"), rules(0, "Max", "Percent:100/15"));
                int clamped = Math.max(min, Math.min(max, proposed));
                assertThat(Behaviors.normalize(free, min, max, current, proposed, recs, upEvents, downEvents, NOW).replicas()).as(what).isEqualTo(clamped);
            }
        }
    }

    private static HpaScalingRules randomRules(Random random, int window) {
        String select = List.of("Max", "Min", "Disabled").get(random.nextInt(random.nextInt(10) == 0 ? 3 : 2));
        List<HpaScalingPolicy> policies = new ArrayList<>();
        for (int i = 1 + random.nextInt(2); i > 0; i--) {
            boolean pods = random.nextBoolean();
            policies.add(new HpaScalingPolicy(pods ? HpaScalingPolicy.PODS : HpaScalingPolicy.PERCENT, pods ? 1 + random.nextInt(5) : 10 + random.nextInt(200),
                    15 + random.nextInt(60)));
        }
        return new HpaScalingRules(window, select, policies);
    }
}
