package dev.berth.controller.core;

import static dev.berth.controller.core.RolloutDriver.rolling;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Decision;
import dev.berth.bus.Outbound;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ApplyService;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.EndpointAddress;
import dev.berth.bus.contract.Endpoints;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.ServicePort;
import dev.berth.bus.contract.ServiceSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rolling update behind a Service: a pod whose deletion is requested leaves the ready endpoints in the same
 * decision, so with maxUnavailable 0 and a readiness probe the Service always has the replicas' worth of ready pods.
 */
class RolloutEndpointsTest {
    private final RolloutDriver r = new RolloutDriver();
    private static final Map<String, String> APP = Map.of("app", "web");

    private static DeploymentSpec spec(int version) {
        return new DeploymentSpec("web", 3, RolloutDriver.v(version).withLabels(APP)).withRollout(rolling("1", "0"));
    }

    /** What the core does after a batch: reconcile, then Endpoints, in one decision. */
    private Decision<ControllerState> reconcileWithEndpoints() {
        Decision<ControllerState> d = ControllerCore.reconcile(r.h.state, ReconcileScope.EVERYTHING, r.h.now).then(ControllerCore::endpoints);
        r.h.state = d.state();
        for (Outbound o : d.outputs()) if (o.payload() != null) r.h.log.add(o.envelope("controller", r.h.now));
        return d;
    }

    private static Endpoints endpoints(ControllerState s) { return s.publishedEndpoints().get("web"); }

    @Test
    void aRollingUpdateNeverHasFewerReadyEndpointsThanReplicas() {
        r.h.accepted(new ApplyDeployment(spec(1)));
        r.h.accepted(new ApplyService(new ServiceSpec(null, "web", null, null, APP, List.of(ServicePort.tcp(null, 80, 8080)), Map.of())));
        reconcileWithEndpoints();
        r.startAll(true);
        reconcileWithEndpoints();
        assertThat(ready(endpoints(r.h.state))).hasSize(3);

        r.h.accepted(new ApplyDeployment(spec(2)));
        boolean deletedSome = false;
        for (int round = 0; round < 30; round++) {
            Decision<ControllerState> d = reconcileWithEndpoints();
            List<String> deleted = d.outputs().stream().filter(o -> o.payload() instanceof PodDeletionRequested)
                    .map(o -> ((PodDeletionRequested) o.payload()).pod()).toList();
            deletedSome |= !deleted.isEmpty();
            Endpoints e = endpoints(d.state());
            assertThat(ready(e)).as("round %d", round).hasSizeGreaterThanOrEqualTo(3);
            for (String pod : deleted) assertThat(ready(e)).as("round %d", round).doesNotContain(pod);
            if (!deleted.isEmpty()) {
                assertThat(d.outputs()).as("the endpoints change in the decision that deletes").anyMatch(o -> o.payload() instanceof Endpoints);
            }
            r.stopDeleted();
            r.startAll(false); // the readiness probe has not passed yet
            reconcileWithEndpoints();
            assertThat(ready(endpoints(r.h.state))).hasSizeGreaterThanOrEqualTo(3);
            r.readyAll();
        }
        assertThat(deletedSome).isTrue();
        assertThat(r.live()).hasSize(3).allSatisfy(p -> assertThat(p.template()).isEqualTo(spec(2).template()));
    }

    @Test
    void aPodBeingDeletedIsListedNotReady() {
        r.h.accepted(new ApplyDeployment(spec(1)));
        r.h.accepted(new ApplyService(new ServiceSpec(null, "web", null, null, APP, List.of(ServicePort.tcp(null, 80, 8080)), Map.of())));
        reconcileWithEndpoints();
        r.startAll(true);
        reconcileWithEndpoints();
        r.h.accepted(new dev.berth.bus.contract.ScaleDeployment("web", 2));
        reconcileWithEndpoints();
        Endpoints e = endpoints(r.h.state);
        assertThat(e.endpoints()).hasSize(3);
        assertThat(ready(e)).hasSize(2);
    }

    private static List<String> ready(Endpoints e) {
        return e.endpoints().stream().filter(EndpointAddress::ready).map(EndpointAddress::pod).toList();
    }

}
