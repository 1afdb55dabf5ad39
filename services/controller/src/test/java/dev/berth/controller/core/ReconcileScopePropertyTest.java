package dev.berth.controller.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.CordonNode;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DrainNode;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ScaleDeployment;
import dev.berth.bus.contract.UncordonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shell reconciles only what a unit of input touched. From a reconciled state, whatever the
 * input (commands, placements, statuses, lost pods), reconciling its {@link ReconcileScope} must
 * decide exactly what reconciling everything decides.
 */
class ReconcileScopePropertyTest {
    private static final List<String> DEPLOYMENTS = List.of("web", "api", "db");
    private static final List<String> NODES = List.of("node-1", "node-2", "node-3");
    private static final PodTemplate ALPINE = new PodTemplate("alpine", List.of(), List.of(), null,
            Samples.template().resources(), "Never", 0);

    /** Every strategy, so pod reports move rollouts along (Recreate waits for the old pods to stop). */
    private static final List<DeploymentSpec.Rollout> ROLLOUTS = List.of(DeploymentSpec.Rollout.DEFAULT,
            new DeploymentSpec.Rollout(dev.berth.bus.contract.DeploymentStrategy.recreate(), 0, null, null, false),
            new DeploymentSpec.Rollout(dev.berth.bus.contract.DeploymentStrategy.rolling("0", "1"), 0, null, null, false),
            new DeploymentSpec.Rollout(dev.berth.bus.contract.DeploymentStrategy.rolling("1", "0"), 0, null, null, false),
            DeploymentSpec.Rollout.DEFAULT.withPaused(true));

    static LongStream seeds() { return LongStream.range(0, 300); }

    @ParameterizedTest
    @MethodSource("seeds")
    void reconcilingTheScopeOfAnInputDecidesWhatReconcilingEverythingDecides(long seed) {
        Random random = new Random(seed);
        Harness h = new Harness();
        NODES.forEach(n -> h.heartbeat(n, "busybox", "alpine"));
        for (int step = 0; step < 50; step++) {
            List<Event> input = randomInput(h, random);

            assertThat(Reconciler.decide(h.state, ReconcileScope.of(input, h.state)))
                    .as("seed %d step %d after %s", seed, step, input)
                    .isEqualTo(Reconciler.decide(h.state));
            h.reconcile();
            assertThat(Reconciler.decide(h.state)).isEmpty();
            PodIndexPropertyTest.assertIndexesMatchPods(h.state);
        }
    }

    /** Feeds one random unit of input to the harness; returns the events it applied. */
    private static List<Event> randomInput(Harness h, Random random) {
        String deployment = pick(random, DEPLOYMENTS);
        String node = pick(random, NODES);
        List<PodRecord> pods = new ArrayList<>(h.state.pods().values());
        PodRecord pod = pods.isEmpty() ? null : pods.get(random.nextInt(pods.size()));
        switch (random.nextInt(pod == null ? 5 : 9)) {
            case 0, 1:
                return h.command(new ApplyDeployment(new DeploymentSpec(deployment, random.nextInt(5),
                        random.nextInt(3) == 0 ? ALPINE : Samples.template()).withRollout(pick(random, ROLLOUTS))));
            case 2:
                return h.command(new ScaleDeployment(deployment, random.nextInt(5)));
            case 3:
                return h.command(random.nextBoolean() ? new DeleteDeployment(deployment) : new DrainNode(node));
            case 4:
                return h.command(random.nextBoolean() ? new CordonNode(node) : new UncordonNode(node));
            case 5, 6:
                return read(h, new PodPlaced(pod.name(), node, pod.deployment(), pod.template(), 3, null, null));
            case 7:
                ContainerState[] states = ContainerState.values();
                return read(h, new PodStatusChanged(pod.name(), node, states[random.nextInt(states.length)], null, null, null, 0,
                        null, "10.244.0.9", random.nextBoolean()));
            default:
                return read(h, new PodLost(pod.name(), pod.deployment(), node, "node " + node + " NotReady"));
        }
    }

    private static List<Event> read(Harness h, Event event) {
        h.read(event);
        return List.of(event);
    }

    private static <T> T pick(Random random, List<T> from) { return from.get(random.nextInt(from.size())); }
}
