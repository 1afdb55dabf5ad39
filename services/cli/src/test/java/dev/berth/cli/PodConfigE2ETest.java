package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 6 end to end with real runc, the real broker and controller: a Deployment whose container reads a
 * file of a configMap volume and an env var from a Secret. Applied before its ConfigMap and Secret exist, its pod waits
 * (ContainerCreating: FailedMount, then CreateContainerConfigError) and starts once both are there; from inside the
 * container the file and the variable are seen (its logs, runc exec); the Secret's value appears in none of events,
 * why and describe; the pod's volumes leave the node with the pod.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class PodConfigE2ETest {
    static final String PASSWORD = "s3cr3t-Pa55-e2e";

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: cfg
            spec:
              replicas: 1
              selector:
                matchLabels: {app: cfg}
              template:
                metadata:
                  labels: {app: cfg}
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                    - name: cfg
                      image: busybox
                      command: ["sh", "-c"]
                      args:
                        - |
                          echo "greeting=$(cat /etc/app/greeting)"
                          echo "password=$DB_PASSWORD"
                          echo "level=$APP_level"
                          trap 'exit 0' TERM; while true; do sleep 1; done
                      envFrom:
                        - configMapRef: {name: app-env}
                          prefix: APP_
                      env:
                        - name: DB_PASSWORD
                          valueFrom:
                            secretKeyRef: {name: app-secret, key: password}
                      volumeMounts:
                        - {name: config, mountPath: /etc/app}
                        - {name: creds, mountPath: /run/creds, readOnly: true}
                        - {name: scratch, mountPath: /scratch}
                  volumes:
                    - name: config
                      configMap:
                        name: app-config
                        items:
                          - {key: greeting, path: greeting}
                    - name: creds
                      secret: {secretName: app-secret, defaultMode: 0400}
                    - name: scratch
                      emptyDir: {medium: Memory, sizeLimit: 8Mi}
            """;
    static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: app-config
            data:
              greeting: hello from a configmap
            """;
    static final String ENV_CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: app-env
            data:
              level: debug
            """;
    static final String SECRET = """
            apiVersion: v1
            kind: Secret
            metadata:
              name: app-secret
            stringData:
              password: "%s"
            """.formatted(PASSWORD);

    @TempDir static Path home;
    static LocalStack stack;

    @BeforeAll
    static void up() throws Exception {
        stack = LocalStack.start(new LocalStack.Settings(null, 0, home, 1));
    }

    @AfterAll
    static void down() {
        if (stack != null) stack.close();
    }

    @Test
    void aConfigMapFileAndASecretEnvVarSeenFromInsideTheContainer() throws Exception {
        assertThat(berth("apply", "-f", write("deployment.yaml", DEPLOYMENT))).isZero();
        String pod = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> podName("cfg"), p -> p != null);

        // nothing to mount yet: the pod waits, as Kubernetes' FailedMount
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> describe(pod).contains("ContainerCreating") && describe(pod).contains(
                        "MountVolume.SetUp failed for volume \"config\" : configmap \"app-config\" not found"));
        assertThat(berth("apply", "-f", write("configmap.yaml", CONFIG_MAP))).isZero();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> describe(pod).contains("MountVolume.SetUp failed for volume \"creds\" : secret \"app-secret\" not found"));
        assertThat(berth("apply", "-f", write("secret.yaml", SECRET))).isZero();
        // the volumes are there; the envFrom's ConfigMap is not
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> describe(pod).contains("CreateContainerConfigError") && describe(pod).contains("configmap \"app-env\" not found"));
        assertThat(berth("apply", "-f", write("env.yaml", ENV_CONFIG_MAP))).isZero();

        String[] logs = {""};
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> (logs[0] = output("logs", pod)).contains("level="));
        System.out.printf("logs of %s:%n%s", pod, logs[0]);
        assertThat(logs[0]).contains("greeting=hello from a configmap\n", "password=" + PASSWORD + "\n", "level=debug\n");

        assertThat(exec(pod, "cat /run/creds/password")).isEqualTo("0:" + PASSWORD);
        assertThat(exec(pod, "stat -c %a /run/creds/password /etc/app/greeting")).isEqualTo("0:400\n644\n");
        assertThat(exec(pod, "echo x > /etc/app/greeting")).as("a configMap volume is read-only").doesNotStartWith("0:");
        assertThat(exec(pod, "echo x > /scratch/file && cat /scratch/file")).isEqualTo("0:x\n");
        String mounts = exec(pod, "cat /proc/mounts");
        assertThat(mounts).contains("/run/creds tmpfs ro", "/scratch tmpfs rw");
        assertThat(exec(pod, "df -k /scratch | tail -1")).contains(" 8192 "); // the emptyDir's sizeLimit

        // the Secret's value is nowhere in what the CLI tells
        for (String[] args : new String[][] {{"events"}, {"why", "pod/" + pod}, {"describe", "pod", pod}, {"describe", "secret/app-secret"},
                {"get", "pod", pod, "-o", "yaml"}, {"get", "deployment", "cfg", "-o", "yaml"}}) {
            assertThat(output(args)).as(String.join(" ", args)).doesNotContain(PASSWORD);
        }
        String described = describe(pod);
        assertThat(described).contains("DB_PASSWORD:  <set to the key 'password' in secret 'app-secret'>", "/etc/app from config (rw)",
                "SecretName:  app-secret");

        Path node = home.resolve("nodes/node-1");
        assertThat(node.resolve("pods/" + pod + "/config/greeting")).exists();
        assertThat(node.resolve("pods/" + pod + "/creds")).as("a Secret is never on the disk").doesNotExist();
        assertThat(berth("delete", "deployment", "cfg")).isZero();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> !Files.exists(node.resolve("pods/" + pod)));
        try (Stream<Path> shm = Files.list(Path.of("/dev/shm"))) {
            assertThat(shm.filter(p -> p.getFileName().toString().startsWith("berth-node-1-")).map(p -> p.resolve(pod)))
                    .allMatch(p -> !Files.exists(p));
        }
    }

    static String write(String name, String text) throws IOException {
        Path file = home.resolve(name);
        Files.writeString(file, text);
        return file.toString();
    }

    static String describe(String pod) {
        return output("describe", "pod", pod);
    }

    static String podName(String app) throws IOException {
        JsonNode pods = new ObjectMapper().readTree(output("get", "pods", "-l", "app=" + app, "-o", "json"));
        for (JsonNode p : pods.path("items")) return p.path("metadata").path("name").asText();
        return null;
    }

    /** What `berth ARGS` prints on stdout (the command must succeed). */
    static String output(String... args) {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Berth.run(withBroker(args))).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static int berth(String... args) {
        return Berth.run(withBroker(args));
    }

    private static String[] withBroker(String... args) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of(args));
        all.add("--bootstrap-servers");
        all.add(stack.bus().bootstrapServers());
        return all.toArray(String[]::new);
    }

    /** "exit:output" of {@code sh -c command} inside the pod's container. */
    static String exec(String pod, String command) throws Exception {
        Process p = new ProcessBuilder("runc", "--root", home.resolve("nodes/node-1/runc").toString(), "exec", pod, "sh", "-c", command)
                .redirectErrorStream(true).start();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
        reader.join(2000);
        return p.exitValue() + ":" + out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
