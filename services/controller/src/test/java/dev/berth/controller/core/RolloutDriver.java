package dev.berth.controller.core;

import dev.berth.bus.Samples;
import dev.berth.bus.contract.ApplyDeployment;
import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.DeploymentSpec;
import dev.berth.bus.contract.DeploymentStatusChanged;
import dev.berth.bus.contract.DeploymentStrategy;
import dev.berth.bus.contract.Event;
import dev.berth.bus.contract.PodStatusChanged;
import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.ScaleDeployment;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A {@link Harness} for rollouts of deployment "web": the test plays the nodes, pods start and turn ready when it says. */
final class RolloutDriver {
    final Harness h = Harness.withImages("busybox");
    private int ips;

    /** Template version {@code n}: the same pod but for an annotation, as {@code rollout restart} makes one. */
    static PodTemplate v(int n) { return Samples.template().withAnnotations(Map.of("version", "v" + n)).named("web"); }

    static DeploymentSpec.Rollout rolling(String surge, String unavailable) {
        return new DeploymentSpec.Rollout(DeploymentStrategy.rolling(surge, unavailable), 0, null, null, false);
    }

    static final DeploymentSpec.Rollout RECREATE = new DeploymentSpec.Rollout(DeploymentStrategy.recreate(), 0, null, null, false);

    static DeploymentSpec web(int replicas, int version, DeploymentSpec.Rollout rollout) {
        return new DeploymentSpec("web", replicas, v(version)).withRollout(rollout);
    }

    /** Applies {@code spec}, then reconciles: the reconcile's events. */
    List<Event> apply(DeploymentSpec spec) {
        h.accepted(new ApplyDeployment(spec));
        return h.reconcile();
    }

    List<Event> scale(int replicas) {
        h.accepted(new ScaleDeployment("web", replicas));
        return h.reconcile();
    }

    /** Applies and brings every pod up, ready: a settled deployment at {@code version}. */
    void settled(int replicas, int version, DeploymentSpec.Rollout rollout) {
        apply(web(replicas, version, rollout));
        startAll(true);
        h.reconcile();
    }

    List<Event> reconcile() { return h.reconcile(); }

    /** Every pod no node reported yet starts (ready or not, as a readiness probe says). */
    void startAll(boolean ready) {
        for (PodRecord p : live()) if (p.neverReported()) report(p.name(), ContainerState.Running, ready);
    }

    /** The first {@code n} pods no node reported yet start and turn ready. */
    void start(int n) {
        for (PodRecord p : live()) {
            if (n == 0) return;
            if (p.neverReported()) {
                report(p.name(), ContainerState.Running, true);
                n--;
            }
        }
    }

    /** Every pod running but not ready passes its readiness probe. */
    void readyAll() {
        for (PodRecord p : live()) if (p.isRunning() && !p.ready()) report(p.name(), ContainerState.Running, true);
    }

    /** Nodes stop every pod whose deletion was requested. */
    void stopDeleted() {
        for (PodRecord p : h.state.podsOf("web")) if (p.deletionRequested()) report(p.name(), ContainerState.Stopped, false);
    }

    void report(String pod, ContainerState state, boolean ready) {
        String ip = state == ContainerState.Running ? "10.244.0." + (++ips % 250 + 2) : null;
        h.read(new PodStatusChanged(pod, "node-1", state, null, null, null, 0, null, ip, ready));
    }

    void advance(Duration d) { h.now = h.now.plus(d); }

    List<PodRecord> live() { return h.live("web"); }

    DeploymentRecord deployment() { return h.state.deployment("web").orElseThrow(); }

    long ofVersion(int version) { return live().stream().filter(p -> p.template().equals(v(version))).count(); }

    int available() { return Rollouts.count(live(), deployment().rollout().minReadySeconds(), h.now); }

    /** The status last published. */
    DeploymentStatusChanged status() { return deployment().status(); }

    static List<DeploymentStatusChanged> statuses(List<Event> events) {
        return events.stream().filter(DeploymentStatusChanged.class::isInstance).map(DeploymentStatusChanged.class::cast).toList();
    }
}
