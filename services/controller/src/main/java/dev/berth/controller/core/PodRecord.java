package dev.berth.controller.core;

import dev.berth.bus.contract.ContainerState;
import dev.berth.bus.contract.Namespaces;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodTemplate;
import java.time.Instant;
import java.util.Map;

/**
 * A pod the reconciler created, with what nodes last said about it.
 *
 * @param generation        deployment generation the pod was created for
 * @param serial            creation order within its deployment (0, 1, ...): higher is newer
 * @param deletionRequested the reconciler or a drain asked for it to go; it stays known until its node reports it Stopped
 * @param state             last container state a node reported; null while no node has reported it
 * @param exitCode          last exit code reported, if the container ended
 * @param node              node it was placed on or last reported by; null while pending
 * @param namespace         its deployment's namespace (the pod's name is unique cluster-wide all the same)
 * @param podIP             the pod's address its node last reported; null before its network is up and once it ended
 * @param ready             Kubernetes' Ready condition as last reported (Running and passing its readiness probe)
 * @param revision          the deployment revision it was created for (explanation only: "updated" is template equality)
 * @param readySince        when it last became ready (the report's time); null while not ready
 * @param ownerKind         {@link PodCreated#JOB} when {@code deployment} names the Job that owns it; null: a Deployment
 * @param restartCount      its container's restarts as last reported (a Job with OnFailure counts them as failures)
 */
public record PodRecord(String name, String deployment, long generation, PodTemplate template, long serial,
                        boolean deletionRequested, ContainerState state, Integer exitCode, String node, String namespace,
                        String podIP, boolean ready, long revision, Instant readySince, String ownerKind, int restartCount) {

    public PodRecord(String name, String deployment, long generation, PodTemplate template, long serial,
                     boolean deletionRequested, ContainerState state, Integer exitCode, String node, String namespace,
                     String podIP, boolean ready, long revision, Instant readySince) {
        this(name, deployment, generation, template, serial, deletionRequested, state, exitCode, node, namespace, podIP, ready, revision,
                readySince, null, 0);
    }

    public PodRecord(String name, String deployment, long generation, PodTemplate template, long serial,
                     boolean deletionRequested, ContainerState state, Integer exitCode, String node, String namespace) {
        this(name, deployment, generation, template, serial, deletionRequested, state, exitCode, node, namespace, null, false, 0, null);
    }

    public PodRecord(String name, String deployment, long generation, PodTemplate template, long serial,
                     boolean deletionRequested, ContainerState state, Integer exitCode, String node, String namespace,
                     String podIP, boolean ready) {
        this(name, deployment, generation, template, serial, deletionRequested, state, exitCode, node, namespace, podIP, ready, 0, null);
    }

    public PodRecord {
        namespace = Namespaces.orDefault(namespace);
    }

    public static PodRecord created(String name, String deployment, long generation, PodTemplate template, long serial) {
        return created(name, deployment, generation, template, serial, null);
    }

    /** The pod's {@code metadata.labels}: its template's, as Kubernetes copies them onto every pod. */
    public Map<String, String> labels() { return template == null ? Map.of() : template.labels(); }

    public static PodRecord created(String name, String deployment, long generation, PodTemplate template, long serial,
                                    String namespace) {
        return new PodRecord(name, deployment, generation, template, serial, false, null, null, null, namespace);
    }

    /** A pod just created for revision {@code rev}. */
    public static PodRecord created(String name, String deployment, long generation, PodTemplate template, long serial,
                                    String namespace, long rev) {
        return new PodRecord(name, deployment, generation, template, serial, false, null, null, null, namespace, null, false, rev, null);
    }

    /**
     * Kubernetes' IsPodAvailable: ready, and with minReadySeconds for longer than that at {@code now}. A ready pod
     * without a known ready time (built by hand) counts as ready since ever.
     */
    public boolean available(int minReadySeconds, Instant now) {
        if (!isRunning() || !ready || deletionRequested) return false;
        if (minReadySeconds <= 0 || readySince == null) return true;
        return readySince.plusSeconds(minReadySeconds).isBefore(now);
    }

    /**
     * Its owner's key: the deployment's {@link Namespaces#key}, or a Job's {@link JobRecord#ownerKey} (which no deployment
     * key can equal): how the controller indexes the pods of an owner.
     */
    public String deploymentKey() { return ofJob() ? JobRecord.ownerKey(namespace, deployment) : Namespaces.key(namespace, deployment); }

    /** Whether a Job owns it ({@code deployment} is then the Job's name). */
    public boolean ofJob() { return PodCreated.JOB.equals(ownerKind); }

    /** A pod of a Job just created. */
    public static PodRecord createdForJob(String name, String job, long generation, PodTemplate template, long serial, String namespace) {
        return new PodRecord(name, job, generation, template, serial, false, null, null, null, namespace, null, false, 0, null, PodCreated.JOB, 0);
    }

    /** This pod with the restart count its node reported. */
    public PodRecord withRestartCount(int restarts) {
        return new PodRecord(name, deployment, generation, template, serial, deletionRequested, state, exitCode, node, namespace, podIP, ready,
                revision, readySince, ownerKind, restarts);
    }

    /** Kubernetes' phase Succeeded: its container exited with 0. */
    public boolean succeeded() { return state == ContainerState.Exited && Integer.valueOf(0).equals(exitCode); }

    /** Kubernetes' phase Failed: it ended otherwise (a non-zero exit, a start that failed, stopped without being asked). */
    public boolean failed() {
        if (state == null || succeeded()) return false;
        return state == ContainerState.Exited || state == ContainerState.Failed || (state == ContainerState.Stopped && !deletionRequested);
    }

    public boolean isRunning() { return state == ContainerState.Running; }

    /** No node has ever reported this pod: nothing runs it that needs stopping. */
    public boolean neverReported() { return state == null; }

    public boolean isOn(String nodeName) { return nodeName.equals(node); }

    public PodRecord withNode(String placedOn) {
        return new PodRecord(name, deployment, generation, template, serial, deletionRequested, state, exitCode, placedOn, namespace, podIP, ready, revision, readySince, ownerKind, restartCount);
    }

    public PodRecord withDeletionRequested() {
        return new PodRecord(name, deployment, generation, template, serial, true, state, exitCode, node, namespace, podIP, ready, revision, readySince, ownerKind, restartCount);
    }

    public PodRecord withStatus(ContainerState newState, Integer newExitCode, String reportingNode) {
        return withStatus(newState, newExitCode, reportingNode, podIP, newState == ContainerState.Running && ready);
    }

    /**
     * A node's report. A report without an IP (from an agent that predates them) keeps the known one while the
     * pod lives; a pod whose container ended has no address any more and is not ready.
     */
    public PodRecord withStatus(ContainerState newState, Integer newExitCode, String reportingNode, String reportedIP, boolean reportedReady) {
        return withStatus(newState, newExitCode, reportingNode, reportedIP, reportedReady, null);
    }

    /** A node's report at {@code at}: a pod that turns ready keeps that time (minReadySeconds counts from it). */
    public PodRecord withStatus(ContainerState newState, Integer newExitCode, String reportingNode, String reportedIP, boolean reportedReady,
                                Instant at) {
        boolean ended = newState != null && newState.isTerminal();
        String ip = ended ? null : reportedIP != null ? reportedIP : podIP;
        boolean nowReady = !ended && reportedReady;
        Instant since = !nowReady ? null : ready && readySince != null ? readySince : at;
        return new PodRecord(name, deployment, generation, template, serial, deletionRequested, newState, newExitCode,
                reportingNode, namespace, ip, nowReady, revision, since, ownerKind, restartCount);
    }
}
