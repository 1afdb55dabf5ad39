package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Issue 11 item 6 end to end with real runc, real CNI and the real proxy: a Service, then a client pod created
 * after it. From inside the pod, {@code web}, {@code web.default} and {@code web.default.svc.cluster.local}
 * resolve to the Service's cluster IP through the cluster DNS (node-1's proxy on 10.96.0.10:53, named by the
 * resolv.conf the node agent mounts), the name reaches the pods behind it, and the pod's environment carries the
 * kubelet's WEB_SERVICE_HOST family.
 */
@EnabledIf("dev.berth.cli.RuncAvailable#check")
class ServiceDiscoveryE2ETest {
    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              type: NodePort
              selector:
                app: web
              ports:
                - name: http
                  port: 80
                  targetPort: 8080
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                    - name: web
                      image: busybox
                      command: ["sh", "-c"]
                      args:
                        - |
                          mkdir -p /www && echo "hello from $HOSTNAME" > /www/index.html
                          httpd -f -p 8080 -h /www & trap 'kill $!; exit 0' TERM; wait
                      ports:
                        - name: http
                          containerPort: 8080
                      readinessProbe:
                        tcpSocket:
                          port: 8080
                        periodSeconds: 1
            """;
    private static final String CLIENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: client
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: client
              template:
                metadata:
                  labels:
                    app: client
                spec:
                  terminationGracePeriodSeconds: 2
                  containers:
                    - name: client
                      image: busybox
                      command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
                      env:
                        - name: WEB_SERVICE_PORT_HTTP
                          value: "mine"
            """;

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
    void aPodFindsAServiceByNameAndByEnvironment() throws Exception {
        Path service = home.resolve("web.yaml");
        Files.writeString(service, SERVICE);
        assertThat(berth("apply", "-f", service.toString())).isZero();
        String clusterIP = spec("web").path("clusterIP").asText();
        assertThat(clusterIP).startsWith("10.96.").isNotEqualTo("10.96.0.10");

        // The host reaches the cluster DNS too (10.96.0.10 is on berth-svc0): once it answers, the Service is on the log.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> lookUp("web.default.svc.cluster.local.").contains(clusterIP));
        long t0 = System.nanoTime();
        List<String> fromHost = lookUp("web.default.svc.cluster.local.");
        System.out.printf("cluster DNS from the host: web.default.svc.cluster.local -> %s (%.1f ms)%n", fromHost,
                (System.nanoTime() - t0) / 1e6);

        Path client = home.resolve("client.yaml");
        Files.writeString(client, CLIENT);
        assertThat(berth("apply", "-f", client.toString())).isZero();
        String pod = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> running("client"), p -> p != null);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> exec(pod, "true").startsWith("0:"));

        String env = exec(pod, "env");
        assertThat(env).contains("WEB_SERVICE_HOST=" + clusterIP + "\n", "WEB_SERVICE_PORT=80\n",
                "WEB_PORT=tcp://" + clusterIP + ":80\n", "WEB_PORT_80_TCP_ADDR=" + clusterIP + "\n",
                "WEB_SERVICE_PORT_HTTP=mine\n"); // the pod's own env wins
        String resolv = exec(pod, "cat /etc/resolv.conf");
        assertThat(resolv).contains("nameserver 10.96.0.10", "search default.svc.cluster.local svc.cluster.local cluster.local",
                "options ndots:5");
        assertThat(exec(pod, "echo x > /etc/resolv.conf")).as("read-only").doesNotStartWith("0:");

        // busybox's nslookup applies the search list only to names without a dot (web.default it asks as is): the
        // libc resolver below (nc) applies it with ndots:5, as every program in the pod does
        for (String name : List.of("web", "web.default.svc.cluster.local")) {
            String answer = exec(pod, "nslookup " + name);
            System.out.printf("in pod %s: nslookup %s -> %s%n", pod, name, answer.replace('\n', ' '));
            // busybox's nslookup asks every search domain and reports each miss (exit 1), as it does in Kubernetes
            assertThat(answer).as("nslookup %s", name).contains("Name:\tweb.default.svc.cluster.local", "Address: " + clusterIP);
        }
        assertThat(exec(pod, "nslookup nope.default.svc.cluster.local")).doesNotContain(clusterIP);

        // Each name reaches the pod behind the Service (the proxy on the cluster IP), once it is ready.
        for (String name : List.of("web.default.svc.cluster.local", "web.default", "web")) {
            String[] last = {""};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).alias("nc " + name)
                    .until(() -> (last[0] = exec(pod, "(printf 'GET / HTTP/1.0\\r\\n\\r\\n'; sleep 1) | nc -w 3 " + name + " 80"))
                            .contains("hello from web-"));
            System.out.printf("in pod %s: nc %s 80 -> %s%n", pod, name, last[0].lines().filter(l -> l.startsWith("hello")).findFirst().orElse("?"));
        }
    }

    /** The A records the cluster DNS gives for {@code name}, asked from the host. */
    static List<String> lookUp(String name) throws IOException {
        SimpleResolver r = new SimpleResolver("10.96.0.10");
        r.setTimeout(Duration.ofSeconds(2));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
        List<String> out = new ArrayList<>();
        for (Record a : m.getSection(Section.ANSWER)) if (a instanceof ARecord ar) out.add(ar.getAddress().getHostAddress());
        return out;
    }

    static JsonNode spec(String service) throws IOException {
        return new ObjectMapper().readTree(output("get", "service", service, "-o", "json")).path("spec");
    }

    /** The name of a running pod with label app={@code app}, or null. */
    static String running(String app) throws IOException {
        JsonNode pods = new ObjectMapper().readTree(output("get", "pods", "-l", "app=" + app, "-o", "json"));
        for (JsonNode p : pods.path("items")) {
            if (p.path("status").path("phase").asText().equals("Running")) return p.path("metadata").path("name").asText();
        }
        return null;
    }

    /** What `berth ARGS` prints on stdout (the command must succeed). */
    static String output(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Berth.run(withBroker(args))).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    static int berth(String... args) {
        return Berth.run(withBroker(args));
    }

    private static String[] withBroker(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--bootstrap-servers");
        all.add(stack.bus().bootstrapServers());
        return all.toArray(String[]::new);
    }

    /** "exit:output" of {@code sh -c command} inside the pod's container. */
    static String exec(String pod, String command) throws Exception {
        Process p = new ProcessBuilder("runc", "--root", home.resolve("nodes/node-1/runc").toString(), "exec", pod, "sh", "-c", command)
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        reader.join(2000);
        return p.exitValue() + ":" + out.toString(StandardCharsets.UTF_8);
    }

}
