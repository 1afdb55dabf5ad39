package dev.berth.bus;

import dev.berth.bus.contract.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One realistic instance of every payload type; shared with other modules' tests (test-jar). */
public final class Samples {
    private Samples() {}

    public static final long MI = 1024L * 1024;

    public static PodTemplate template() {
        return new PodTemplate("busybox", List.of("sh", "-c"), List.of("sleep 3600"), Map.of("GREETING", "hello"),
                new Resources(250, 64 * MI), "Always", 10);
    }

    public static ConfigMapSpec configMap() {
        return new ConfigMapSpec("shop", "web-config", Map.of("LOG_LEVEL", "debug", "nginx.conf", "server { listen 8080; }\n"),
                Map.of("logo.png", "iVBORw0KGgo="), Map.of("app", "web"), false);
    }

    /** A Secret whose password is "s3cr3t-Pa55" (base64 czNjcjN0LVBhNTU=). */
    public static SecretSpec secret() {
        return new SecretSpec("shop", "db-credentials", SecretSpec.OPAQUE, Map.of("username", "YWRtaW4=", "password", "czNjcjN0LVBhNTU="),
                Map.of("app", "web"), false);
    }

    /** {@link #template()} that asks for an ssd node in zone a and tolerates gpu nodes. */
    public static PodTemplate constrainedTemplate() {
        return template().withPlacement(Map.of("topology.kubernetes.io/zone", "a", "disk", "ssd"),
                List.of(new Toleration("dedicated", "Equal", "gpu", "NoSchedule"), new Toleration("maintenance", "Exists", null, null)))
                .withPorts(List.of(new ContainerPort(8080, "http", "TCP", 30080), ContainerPort.of(53)));
    }

    /** {@link #constrainedTemplate()} with requests below its limits and one GPU (an extended resource). */
    public static PodTemplate resourcefulTemplate() {
        return constrainedTemplate().withResources(new ResourceRequirements(
                new ResourceList(100L, 32 * MI, Map.of("nvidia.com/gpu", 1L)),
                new ResourceList(250L, 64 * MI, Map.of("nvidia.com/gpu", 1L))));
    }

    /** {@link #resourcefulTemplate()} of pods labelled app=web, tier=frontend. */
    public static PodTemplate labelledTemplate() {
        return resourcefulTemplate().withLabels(Map.of("app", "web", "tier", "frontend"));
    }

    /** A deployment of {@link #labelledTemplate()} with its own labels and a selector of both kinds. */
    public static DeploymentSpec labelledDeployment() {
        return new DeploymentSpec("web", 3, labelledTemplate(), Map.of("team", "shop"),
                new Selector(Map.of("app", "web"), List.of(new Selector.Requirement("tier", "In", List.of("frontend", "edge")),
                        new Selector.Requirement("legacy", "DoesNotExist", null))));
    }

    /** {@link #labelledTemplate()} with an HTTP readiness probe on its named port, a working directory and a user. */
    public static PodTemplate probedTemplate() {
        return labelledTemplate().withReadinessProbe(new Probe(new Probe.HttpGet("/healthz", 0, "http", null, null), null, null,
                        2, 5, 1, 1, 3))
                .withProcess("/srv", new SecurityContext(1000L, 1000L, true));
    }

    /** A NodePort Service over app=web with a named and a numbered port, as the controller accepted it. */
    public static ServiceSpec service() {
        return new ServiceSpec("shop", "web", ServiceSpec.NODE_PORT, "10.96.0.10", Map.of("app", "web"),
                List.of(new ServicePort("http", "TCP", 80, 0, "http", 30080, "http"),
                        new ServicePort("metrics", "TCP", 9090, 9090, null, 30090, null)),
                Map.of("team", "shop"));
    }

    /** {@link #labelledDeployment()} with every rollout field and a change cause; its template has liveness and startup probes. */
    public static DeploymentSpec rolledOut() {
        Probe liveness = new Probe(null, new Probe.TcpSocket(0, "http", null), null, 0, 10, 1, 1, 3);
        Probe startup = new Probe(null, null, new Probe.Exec(List.of("cat", "/tmp/started")), 0, 2, 1, 1, 30);
        return labelledDeployment().inNamespace("shop")
                .withTemplate(configured(probedTemplate().withHealthProbes(liveness, startup)
                        .withAnnotations(Map.of("kubectl.kubernetes.io/restartedAt", "2026-11-27T10:00:00Z"))))
                .withRollout(new DeploymentSpec.Rollout(DeploymentStrategy.rolling("1", "0"), 5, 120, 3, false))
                .withAnnotations(Map.of(DeploymentSpec.CHANGE_CAUSE, "berth set image deployment/web web=web:2"));
    }

    /** A Job with every field set: 5 completions, 2 at a time, restartPolicy Never. */
    public static JobSpec job() {
        PodTemplate t = new PodTemplate("busybox:1.36", List.of("sh", "-c", "echo done"), null, null, (ResourceRequirements) null, "Never", 5);
        return new JobSpec("pi", "shop", t.withLabels(Map.of("app", "pi")), 5, 2, 3, 600L, 100, Map.of("team", "batch"), Map.of("note", "sample"));
    }

    /** {@code t} with a configMap, a secret and an emptyDir volume its container mounts, and env from both objects. */
    public static PodTemplate configured(PodTemplate t) {
        Container c = t.main().withConfig(
                List.of(new EnvFromSource("CFG_", new SourceRef("web-config", false), null)),
                List.of(new EnvVarSource("DB_PASSWORD", null, new KeySelector("db-credentials", "password", false)),
                        new EnvVarSource("LOG_LEVEL", new KeySelector("web-config", "LOG_LEVEL", true), null)),
                List.of(new VolumeMount("config", "/etc/web", true, null), new VolumeMount("creds", "/run/creds", true, null),
                        new VolumeMount("cache", "/cache", false, "web")));
        return t.withContainers(List.of(c)).withVolumes(List.of(
                Volume.configMap("config", new ConfigMapVolumeSource("web-config", List.of(new KeyToPath("nginx.conf", "conf.d/nginx.conf", 0600)), null, false)),
                Volume.secret("creds", new SecretVolumeSource("db-credentials", null, 0400, true)),
                Volume.emptyDir("cache", new EmptyDirVolumeSource(EmptyDirVolumeSource.MEMORY, 64 * MI))));
    }

    public static DeploymentSpec deployment(String name, int replicas) {
        return new DeploymentSpec(name, replicas, template());
    }

    /** An autoscaler as a user writes it: cpu at 50 % and 10 requests/s per pod, a faster scale-down. */
    public static HorizontalPodAutoscalerSpec autoscaler() {
        return new HorizontalPodAutoscalerSpec("shop", "web", ScaleTargetRef.deployment("web"), 2, 10,
                List.of(MetricSpec.cpuUtilization(50), MetricSpec.requestsPerSecond(10_000)),
                new HpaBehavior(null, new HpaScalingRules(60, null, List.of(new HpaScalingPolicy(HpaScalingPolicy.PODS, 1, 30)))));
    }

    public static Payload of(Class<? extends Payload> type) {
        return switch (type.getSimpleName()) {
            case "ApplyDeployment" -> new ApplyDeployment(labelledDeployment().inNamespace("shop"));
            case "ScaleDeployment" -> new ScaleDeployment("web", 5, "shop");
            case "DeleteDeployment" -> new DeleteDeployment("web", "shop");
            case "ApplyNamespace" -> new ApplyNamespace("shop");
            case "DeleteNamespace" -> new DeleteNamespace("shop");
            case "NamespaceApplied" -> new NamespaceApplied("shop");
            case "NamespaceDeleted" -> new NamespaceDeleted("shop");
            case "CommandAccepted" -> new CommandAccepted("c-1", "ApplyDeployment", "web", "deployment web created (3 replicas)");
            case "CommandRejected" -> new CommandRejected("c-2", "ScaleDeployment", "web", "replicas must be between 0 and 10000",
                    List.of("/replicas: -1 is below 0"));
            case "DeploymentApplied" -> new DeploymentApplied(rolledOut(), 3, 2);
            case "DeploymentStatusChanged" -> new DeploymentStatusChanged("web", "shop", 3, 2, 4, 2, 3, 3, 1, List.of(
                    new DeploymentCondition(DeploymentCondition.AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.",
                            Instant.parse("2026-11-27T10:00:00Z"), Instant.parse("2026-11-27T10:00:00Z")),
                    new DeploymentCondition(DeploymentCondition.PROGRESSING, "True", "ReplicaSetUpdated", "ReplicaSet \"web-2\" is progressing.",
                            Instant.parse("2026-11-27T10:00:05Z"), Instant.parse("2026-11-27T09:59:00Z"))));
            case "PodUnhealthy" -> new PodUnhealthy("web-7d4kq", "node-1", "shop", PodUnhealthy.LIVENESS, "HTTP probe failed with statuscode: 500",
                    3, Instant.parse("2026-11-27T10:00:00Z"), Instant.parse("2026-11-27T10:00:20Z"));
            case "ContainerLogs" -> new ContainerLogs("web-7d4kq", "shop", "node-1", "web", 1, List.of(
                    new LogLine(Instant.parse("2026-11-27T10:00:00.123Z"), LogLine.STDOUT, "listening on :8080"),
                    new LogLine(Instant.parse("2026-11-27T10:00:01Z"), LogLine.STDERR, "GET /healthz 500")), 0);
            case "DeploymentScaled" -> new DeploymentScaled("web", 5, 2, "shop");
            case "DeploymentDeleted" -> new DeploymentDeleted("web", 3);
            case "PodCreated" -> new PodCreated("web-7d4kq", "web", 1, probedTemplate(), "shop", 2);
            case "ApplyService" -> new ApplyService(service().withClusterIP(null).withPorts(List.of(
                    new ServicePort("http", null, 80, 0, "http", 0, "http"), ServicePort.tcp("metrics", 9090, 9090))));
            case "DeleteService" -> new DeleteService("shop", "web");
            case "ServiceApplied" -> new ServiceApplied(service());
            case "ServiceDeleted" -> new ServiceDeleted("shop", "web");
            case "ApplyConfigMap" -> new ApplyConfigMap(configMap());
            case "ConfigMapApplied" -> new ConfigMapApplied(configMap());
            case "DeleteConfigMap" -> new DeleteConfigMap("shop", "web-config");
            case "ConfigMapDeleted" -> new ConfigMapDeleted("shop", "web-config");
            case "ApplySecret" -> new ApplySecret(secret());
            case "SecretApplied" -> new SecretApplied(secret());
            case "DeleteSecret" -> new DeleteSecret("shop", "db-credentials");
            case "SecretDeleted" -> new SecretDeleted("shop", "db-credentials");
            case "Endpoints" -> new Endpoints("shop", "web", ServiceSpec.NODE_PORT, "10.96.0.10", service().ports(),
                    List.of(new EndpointAddress("web-7d4kq", "node-1", "10.244.1.7", true, Map.of("http", 8080, "metrics", 9090)),
                            new EndpointAddress("web-x9z2b", "node-2", "10.244.2.3", false, Map.of("metrics", 9090))));
            case "ProxyMetrics" -> new ProxyMetrics("node-1", Instant.parse("2026-11-27T10:00:00Z"),
                    List.of(new ServiceTraffic("shop", "web", 120, 3, 4500, 2, 1, 1_200_000, 9_800_000,
                            List.of(new EndpointTraffic("web-7d4kq", "10.244.1.7", 60, 2, 2300),
                                    new EndpointTraffic("web-x9z2b", "10.244.2.3", 60, 1, 2200)))));
            case "NodeMetrics" -> new NodeMetrics("node-1", Instant.parse("2026-11-27T10:00:00Z"), 5000, 1250, 3_200 * MI,
                    List.of(new PodMetrics("shop", "web-7d4kq", "web", List.of(new ContainerMetrics("main", 480, 42 * MI)))));
            case "ApplyJob" -> new ApplyJob(job());
            case "DeleteJob" -> new DeleteJob("pi", "shop");
            case "JobApplied" -> new JobApplied(job(), "6f1d2c3e-0000-3000-8000-000000000001", 1);
            case "JobDeleted" -> new JobDeleted("pi", "shop", "ttlSecondsAfterFinished (100 s) passed");
            case "JobStatusChanged" -> new JobStatusChanged("pi", "shop", 0, 5, 1, Instant.parse("2026-11-27T10:00:00Z"),
                    Instant.parse("2026-11-27T10:01:00Z"), List.of(new JobCondition(JobCondition.COMPLETE, "True", JobCondition.COMPLETED,
                            "Reached expected number of succeeded pods", Instant.parse("2026-11-27T10:01:00Z"))), Instant.parse("2026-11-27T10:00:30Z"));
            case "ApplyHorizontalPodAutoscaler" -> new ApplyHorizontalPodAutoscaler(autoscaler());
            case "DeleteHorizontalPodAutoscaler" -> new DeleteHorizontalPodAutoscaler("shop", "web");
            case "HorizontalPodAutoscalerApplied" -> new HorizontalPodAutoscalerApplied(autoscaler().withDefaults());
            case "HorizontalPodAutoscalerDeleted" -> new HorizontalPodAutoscalerDeleted("shop", "web");
            case "HorizontalPodAutoscalerStatus" -> new HorizontalPodAutoscalerStatus("shop", "web", Instant.parse("2026-11-27T10:00:00Z"),
                    2, 4, List.of(new MetricStatus(MetricSpec.RESOURCE, MetricSpec.CPU, 160, 160L * 1000 / 10),
                            new MetricStatus(MetricSpec.PODS, MetricSpec.REQUESTS_PER_SECOND, null, 25_000L)),
                    List.of(new HpaCondition(HpaCondition.ABLE_TO_SCALE, "True", "SucceededRescale", "the HPA controller was able to update the target scale to 4",
                            Instant.parse("2026-11-27T10:00:00Z"))), Instant.parse("2026-11-27T10:00:00Z"),
                    "New size: 4; reason: cpu resource utilization (percentage of request) above target");
            case "PodDeletionRequested" -> new PodDeletionRequested("web-7d4kq", "web", "scaled down to 2");
            case "PodPlaced" -> new PodPlaced("web-7d4kq", "node-1", "web", resourcefulTemplate(), 3, Map.of("Insufficient memory", 1),
                    List.of(new PodPlaced.NodeScore("node-1", 87.5, Map.of("LeastAllocated", 87.5))));
            case "PodReleased" -> new PodReleased("web-7d4kq", "node-1", "pod deleted");
            case "PodUnschedulable" -> new PodUnschedulable("web-7d4kq", "web", "0/3 nodes available: 3 Insufficient memory", 3,
                    Map.of("Insufficient memory", 3));
            case "NodeHeartbeat" -> new NodeHeartbeat("node-1", new NodeResources(2000, 8192 * MI, 110, Map.of("nvidia.com/gpu", 2L)),
                    new NodeResources(1750, 8128 * MI, 109, Map.of("nvidia.com/gpu", 1L)), List.of("busybox"), List.of("web-7d4kq"), 42,
                    Instant.parse("2026-11-27T10:00:00Z"), Map.of("topology.kubernetes.io/zone", "a", "disk", "ssd"),
                    List.of(new Taint("dedicated", "gpu", "NoSchedule")))
                    .withContainerImages(List.of(new ContainerImage(List.of("busybox:latest", "busybox@sha256:" + "a".repeat(64)), 2_200_000)));
            case "PodStatusChanged" -> new PodStatusChanged("web-7d4kq", "node-1", ContainerState.Exited, 1, "Error",
                    "exited with code 1", 0).withImageID("busybox@sha256:" + "a".repeat(64)).withPodIP("10.244.1.7").withReady(false);
            case "CordonNode" -> new CordonNode("node-2");
            case "UncordonNode" -> new UncordonNode("node-2");
            case "DrainNode" -> new DrainNode("node-2");
            case "NodeStatusChanged" -> new NodeStatusChanged("node-2", NodeCondition.NotReady, false,
                    "no heartbeat for 3.2 s", Instant.parse("2026-11-27T10:00:00Z"), "10.244.1.0/24");
            case "PodIntruderFound" -> new PodIntruderFound("node-2", "miner", PodIntruderFound.BY_STATUS, ContainerState.Running,
                    "pod miner was never created by the controller (reported Running by node node-2)");
            case "PodLost" -> new PodLost("web-7d4kq", "web", "node-2", "node node-2 not ready for 5 s");
            case "SchedulingStep" -> new SchedulingStep("3f1c", 7, Instant.parse("2026-11-27T10:00:01Z"), "berth.pods-2@41",
                    Map.of("berth.pods-2", 42L), new SchedulingStep.Start(Map.of("berth.pods-2", 40L), Map.of("berth.node-heartbeats-0", 900L),
                    Instant.parse("2026-11-27T10:00:02Z"), "SPREAD"), List.of("PodPlaced web-7d4kq node-1"));
            default -> throw new IllegalArgumentException("no sample for " + type.getSimpleName() + ": add one");
        };
    }
}
