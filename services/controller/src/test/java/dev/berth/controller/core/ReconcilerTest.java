package dev.berth.controller.core;

import dev.berth.bus.Decision;
import static dev.berth.controller.core.Harness.created;
import static dev.berth.controller.core.Harness.deletions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeleteDeployment;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.Resources;
import dev.berth.bus.contract.ScaleDeployment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
    private static final dev.berth.bus.contract.DeploymentSpec.Rollout RECREATE =
            new dev.berth.bus.contract.DeploymentSpec.Rollout(dev.berth.bus.contract.DeploymentStrategy.recreate(), 0, null, null, false);


    private final Harness h = Harness.withImages("busybox");

    private List<Event> web(int replicas) {
        h.command(new ApplyDeployment(Samples.deployment("web", replicas)));
        return h.reconcile();
    }

    private List<String> names(List<PodRecord> pods) { return pods.stream().map(PodRecord::name).toList(); }

    @Test
    void createsExactlyTheMissingReplicasWithUniqueKubernetesStyleNames() {
        List<PodCreated> pods = created(web(3));

        assertThat(pods).hasSize(3);
        assertThat(pods).allSatisfy(p -> {
            assertThat(p.pod()).matches("web-[a-z0-9]{5}");
            assertThat(p.deployment()).isEqualTo("web");
            assertThat(p.generation()).isEqualTo(1);
            assertThat(p.template()).as("its one container named after the deployment").isEqualTo(Samples.template().named("web"));
        });
        assertThat(pods).extracting(PodCreated::pod).doesNotHaveDuplicates();
        assertThat(h.live("web")).hasSize(3);
    }

    @Test
    void namesAreDeterministic() {
        Harness other = Harness.withImages("busybox");
        other.command(new ApplyDeployment(Samples.deployment("web", 3)));

        assertThat(created(other.reconcile())).isEqualTo(created(web(3)));
    }

    @Test
    void manyReplicasStillGetUniqueNames() {
        List<PodCreated> pods = new ArrayList<>(created(web(2000)));
        pods.addAll(created(h.reconcile()));
        assertThat(pods).hasSize(2000).extracting(PodCreated::pod).doesNotHaveDuplicates();
    }

    @Test
    void aLargeApplyIsCreatedInBurstsAndTheNextDeploymentWaitsItsTurn() {
        h.command(new ApplyDeployment(Samples.deployment("big", 2500)));
        h.command(new ApplyDeployment(Samples.deployment("small", 2)));

        List<Integer> bursts = new ArrayList<>();
        for (List<PodCreated> burst = created(h.reconcile()); !burst.isEmpty(); burst = created(h.reconcile())) {
            bursts.add(burst.size());
        }

        assertThat(bursts).containsExactly(Reconciler.MAX_CREATIONS, Reconciler.MAX_CREATIONS, 502);
        assertThat(h.live("big")).hasSize(2500).extracting(PodRecord::serial).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 2500).boxed().toList());
        assertThat(h.live("small")).hasSize(2);
    }

    @Test
    void aReconcileThatStoppedAtItsBurstSaysWhereToGoOn() {
        for (String name : List.of("a", "b", "c")) h.command(new ApplyDeployment(Samples.deployment(name, name.equals("b") ? 1500 : 10)));

        Decision<ControllerState> first = Reconciler.reconcile(h.state, ReconcileScope.EVERYTHING, h.now);
        ReconcileScope rest = Reconciler.unfinished(first, ReconcileScope.EVERYTHING);
        assertThat(rest).as("a is done").hasToString("deployments [b, c], nodes []");

        Decision<ControllerState> second = Reconciler.reconcile(first.state(), rest, h.now);
        assertThat(second.outputs()).filteredOn(o -> o.payload() instanceof PodCreated).as("the rest of b, and c").hasSize(1500 - 990 + 10);
        assertThat(Reconciler.unfinished(second, rest)).isNull();
        assertThat(Reconciler.decide(second.state())).isEmpty();
    }

    @Test
    void reconcilingAgainWithoutChangeDecidesNothing() {
        web(3);
        ControllerState settled = h.state;

        assertThat(h.reconcile()).isEmpty();
        assertThat(h.reconcile()).isEmpty();
        assertThat(h.state).isEqualTo(settled);
    }

    @Test
    void scaleDownRequestsDeletionOfTheExtras() {
        web(3);

        h.command(new ScaleDeployment("web", 1));
        List<Event> events = h.reconcile();

        assertThat(deletions(events)).hasSize(2)
                .allSatisfy(d -> assertThat(d.reason()).isEqualTo("scaled down to 1 replica"));
        assertThat(created(events)).isEmpty();
        assertThat(h.live("web")).hasSize(1);
        assertThat(h.reconcile()).isEmpty();
    }

    @Test
    void scaleDownPrefersPodsThatAreNotRunningThenTheNewest() {
        List<String> byAge = created(web(4)).stream().map(PodCreated::pod).toList();
        // The two oldest run, the two newest do not (yet).
        h.status(byAge.get(0), ContainerState.Running).status(byAge.get(1), ContainerState.Running);
        h.status(byAge.get(2), ContainerState.Starting);

        h.command(new ScaleDeployment("web", 3));
        assertThat(deletions(h.reconcile())).extracting(PodDeletionRequested::pod).containsExactly(byAge.get(3));

        h.command(new ScaleDeployment("web", 2));
        assertThat(deletions(h.reconcile())).extracting(PodDeletionRequested::pod).containsExactly(byAge.get(2));

        h.command(new ScaleDeployment("web", 1));
        assertThat(deletions(h.reconcile())).extracting(PodDeletionRequested::pod).containsExactly(byAge.get(1));
    }

    @Test
    void scaleDownPrefersAFailedPodOverARunningNewerOne() {
        List<String> byAge = created(web(2)).stream().map(PodCreated::pod).toList();
        h.status(byAge.get(0), ContainerState.Failed).status(byAge.get(1), ContainerState.Running);

        h.command(new ScaleDeployment("web", 1));

        assertThat(deletions(h.reconcile())).extracting(PodDeletionRequested::pod).containsExactly(byAge.get(0));
    }

    @Test
    void scaleUpAddsOnlyTheDifference() {
        List<String> first = created(web(2)).stream().map(PodCreated::pod).toList();

        h.command(new ScaleDeployment("web", 5));
        List<PodCreated> added = created(h.reconcile());

        assertThat(added).hasSize(3).extracting(PodCreated::pod).doesNotContainAnyElementsOf(first);
        assertThat(added).allSatisfy(p -> assertThat(p.generation()).isEqualTo(2));
    }

    @Test
    void aChangedTemplateReplacesEveryPodWithRecreate() {
        List<String> old = created(web(2)).stream().map(PodCreated::pod).toList();
        PodTemplate bigger = new PodTemplate("busybox", List.of("sh"), List.of(), null, new Resources(500, 128 * Samples.MI), "Always", 5);

        h.command(new ApplyDeployment(new DeploymentSpec("web", 2, bigger).withRollout(RECREATE)));
        List<Event> events = h.reconcile();

        assertThat(deletions(events)).extracting(PodDeletionRequested::pod).containsExactlyInAnyOrderElementsOf(old);
        assertThat(deletions(events)).allSatisfy(d -> assertThat(d.reason()).isEqualTo("replaced: deployment web rolled out revision 2"));
        assertThat(created(events)).hasSize(2).allSatisfy(p -> {
            assertThat(p.template()).isEqualTo(bigger.named("web"));
            assertThat(p.generation()).isEqualTo(2);
            assertThat(old).doesNotContain(p.pod());
        });
        assertThat(events.indexOf(deletions(events).get(0))).isLessThan(events.indexOf(created(events).get(0)));
        assertThat(h.reconcile()).isEmpty();
    }

    @Test
    void aReplicaOnlyChangeDoesNotReplacePods() {
        List<String> old = created(web(2)).stream().map(PodCreated::pod).toList();

        h.command(new ApplyDeployment(Samples.deployment("web", 3)));
        List<Event> events = h.reconcile();

        assertThat(deletions(events)).isEmpty();
        assertThat(created(events)).hasSize(1);
        assertThat(names(h.live("web"))).containsAll(old);
    }

    @Test
    void deletingADeploymentRequestsDeletionOfAllItsPodsOnce() {
        List<String> pods = created(web(3)).stream().map(PodCreated::pod).toList();
        pods.forEach(p -> h.status(p, ContainerState.Running));

        h.command(new DeleteDeployment("web"));
        List<Event> events = h.reconcile();

        assertThat(deletions(events)).extracting(PodDeletionRequested::pod).containsExactlyInAnyOrderElementsOf(pods);
        assertThat(deletions(events)).allSatisfy(d -> assertThat(d.reason()).isEqualTo("deployment web deleted"));
        assertThat(created(events)).isEmpty();
        assertThat(h.reconcile()).isEmpty();
        assertThat(h.state.podsOf("web")).hasSize(3).allSatisfy(p -> assertThat(p.deletionRequested()).isTrue());
    }

    @Test
    void podsReportedStoppedAfterDeletionAreForgotten() {
        List<String> pods = created(web(2)).stream().map(PodCreated::pod).toList();
        pods.forEach(p -> h.status(p, ContainerState.Running));
        h.command(new DeleteDeployment("web"));
        h.reconcile();

        h.status(pods.get(0), ContainerState.Terminating);
        assertThat(h.state.pods()).containsKey(pods.get(0));
        h.status(pods.get(0), ContainerState.Stopped);
        h.status(pods.get(1), ContainerState.Stopped);

        assertThat(h.state.pods()).isEmpty();
        assertThat(h.reconcile()).isEmpty();
    }

    @Test
    void aStoppedPodWhoseDeletionWasNotRequestedIsKept() {
        String pod = created(web(1)).get(0).pod();
        h.status(pod, ContainerState.Stopped);
        assertThat(h.state.pods().get(pod).state()).isEqualTo(ContainerState.Stopped);
        assertThat(h.reconcile()).isEmpty();
    }

    @Test
    void podsNoNodeEverReportedAreForgottenAsSoonAsTheirDeletionIsRequested() {
        web(3);
        h.command(new ScaleDeployment("web", 0));
        assertThat(deletions(h.reconcile())).hasSize(3);
        assertThat(h.state.pods()).isEmpty();
    }

    @Test
    void aRecreatedDeploymentNeverReusesPodNames() {
        Set<String> seen = new HashSet<>();
        for (int round = 0; round < 5; round++) {
            for (PodCreated p : created(web(3))) assertThat(seen.add(p.pod())).as("name %s reused", p.pod()).isTrue();
            h.command(new DeleteDeployment("web"));
            h.reconcile();
        }
    }

    @Test
    void deploymentsAreReconciledIndependently() {
        h.command(new ApplyDeployment(Samples.deployment("web", 2)));
        h.command(new ApplyDeployment(Samples.deployment("api", 1)));
        List<Event> events = h.reconcile();

        assertThat(created(events)).extracting(PodCreated::deployment).containsExactly("api", "web", "web");
        h.command(new ScaleDeployment("api", 0));
        assertThat(deletions(h.reconcile())).extracting(PodDeletionRequested::deployment).containsExactly("api");
        assertThat(h.live("web")).hasSize(2);
    }

    @Test
    void theReconcilerRepairsStateThatLostPods() {
        web(3);
        String gone = h.live("web").get(1).name();
        // A pod vanished from state without the reconciler knowing why (e.g. a later node-lifecycle rule).
        h.state = EventAppliers.apply(h.state, new PodDeletionRequested(gone, "web", "test"), h.now);

        List<PodCreated> replacement = created(h.reconcile());

        assertThat(replacement).hasSize(1);
        assertThat(replacement.get(0).pod()).isNotEqualTo(gone);
        assertThat(h.live("web")).hasSize(3);
    }
}
