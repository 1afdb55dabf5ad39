package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.bus.Json;
import dev.berth.bus.Validation;
import dev.berth.bus.contract.*;
import java.util.List;
import org.junit.jupiter.api.Test;

/** volumes, volumeMounts, envFrom and env valueFrom of a Deployment manifest: read, written back, described. */
class PodConfigManifestTest {
    static final String MANIFEST = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: busybox
                      envFrom:
                        - configMapRef: {name: web-config}
                          prefix: CFG_
                        - secretRef: {name: db, optional: true}
                      env:
                        - name: PLAIN
                          value: "1"
                        - name: DB_PASSWORD
                          valueFrom:
                            secretKeyRef: {name: db, key: password}
                        - name: LEVEL
                          valueFrom:
                            configMapKeyRef: {name: web-config, key: LOG_LEVEL, optional: true}
                        - name: NODE
                          valueFrom:
                            fieldRef: {fieldPath: spec.nodeName}
                      volumeMounts:
                        - {name: config, mountPath: /etc/web, readOnly: true}
                        - {name: creds, mountPath: /run/creds}
                        - {name: cache, mountPath: /cache, subPath: web}
                  volumes:
                    - name: config
                      configMap:
                        name: web-config
                        items:
                          - {key: nginx.conf, path: conf.d/nginx.conf, mode: 0600}
                    - name: creds
                      secret: {secretName: db, defaultMode: 0400}
                    - name: cache
                      emptyDir: {medium: Memory, sizeLimit: 64Mi}
            """;

    @Test
    void readsEveryPartAndNamesOnlyWhatIsNotSupported() throws Exception {
        var parsed = DeploymentManifest.parse(MANIFEST);
        PodTemplate t = parsed.deployment().template();
        Container c = t.main();
        assertThat(c.env()).containsExactly(java.util.Map.entry("PLAIN", "1"));
        assertThat(c.envFrom()).containsExactly(new EnvFromSource("CFG_", new SourceRef("web-config", false), null),
                new EnvFromSource(null, null, new SourceRef("db", true)));
        assertThat(c.envValueFrom()).containsExactly(new EnvVarSource("DB_PASSWORD", null, new KeySelector("db", "password", false)),
                new EnvVarSource("LEVEL", new KeySelector("web-config", "LOG_LEVEL", true), null));
        assertThat(c.volumeMounts()).containsExactly(new VolumeMount("config", "/etc/web", true, null),
                new VolumeMount("creds", "/run/creds", false, null), new VolumeMount("cache", "/cache", false, "web"));
        assertThat(t.volumes()).containsExactly(
                Volume.configMap("config", new ConfigMapVolumeSource("web-config", List.of(new KeyToPath("nginx.conf", "conf.d/nginx.conf", 0600)), null, false)),
                Volume.secret("creds", new SecretVolumeSource("db", null, 0400, false)),
                Volume.emptyDir("cache", new EmptyDirVolumeSource("Memory", 64L << 20)));
        assertThat(parsed.ignored()).containsExactly("spec.template.spec.containers[0].env[NODE].valueFrom.fieldRef: not supported by Berth, ignored");
        assertThat(Validation.problems(new ApplyDeployment(parsed.deployment()))).isEmpty();
    }

    @Test
    void badShapesAreRefused() {
        assertThatThrownBy(() -> DeploymentManifest.parse(MANIFEST.replace("emptyDir: {medium: Memory, sizeLimit: 64Mi}", "emptyDir: {sizeLimit: lots}")))
                .hasMessageContaining("spec.template.spec.volumes[2].emptyDir.sizeLimit: 'lots' is not a quantity");
        assertThatThrownBy(() -> DeploymentManifest.parse(MANIFEST.replace("defaultMode: 0400", "defaultMode: rw")))
                .hasMessageContaining("spec.template.spec.volumes[1].secret.defaultMode: expected a file mode");
    }

    @Test
    void writtenBackAsKubernetesWritesThem() throws Exception {
        PodTemplate t = DeploymentManifest.parse(MANIFEST).deployment().template();
        ObjectNode container = Json.object();
        container.putArray("env").addObject().put("name", "PLAIN").put("value", "1");
        PodConfigManifest.write(container, t.main());
        ObjectNode spec = Json.object();
        PodConfigManifest.write(spec, t);
        assertThat(container.toString()).isEqualTo("{\"env\":[{\"name\":\"PLAIN\",\"value\":\"1\"},"
                + "{\"name\":\"DB_PASSWORD\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"db\",\"key\":\"password\"}}},"
                + "{\"name\":\"LEVEL\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"web-config\",\"key\":\"LOG_LEVEL\",\"optional\":true}}}],"
                + "\"envFrom\":[{\"prefix\":\"CFG_\",\"configMapRef\":{\"name\":\"web-config\"}},{\"secretRef\":{\"name\":\"db\",\"optional\":true}}],"
                + "\"volumeMounts\":[{\"name\":\"config\",\"mountPath\":\"/etc/web\",\"readOnly\":true},{\"name\":\"creds\",\"mountPath\":\"/run/creds\"},"
                + "{\"name\":\"cache\",\"mountPath\":\"/cache\",\"subPath\":\"web\"}]}");
        assertThat(spec.toString()).isEqualTo("{\"volumes\":[{\"name\":\"config\",\"configMap\":{\"name\":\"web-config\","
                + "\"items\":[{\"key\":\"nginx.conf\",\"path\":\"conf.d/nginx.conf\",\"mode\":384}]}},"
                + "{\"name\":\"creds\",\"secret\":{\"secretName\":\"db\",\"defaultMode\":256}},"
                + "{\"name\":\"cache\",\"emptyDir\":{\"medium\":\"Memory\",\"sizeLimit\":\"64Mi\"}}]}");
    }

    @Test
    void describedAsKubectlDoesWithSecretsByNameOnly() throws Exception {
        PodTemplate t = DeploymentManifest.parse(MANIFEST).deployment().template();
        assertThat(PodConfigManifest.describeContainer(t.main())).containsExactly(
                "  Environment Variables from:",
                "    web-config  ConfigMap  with prefix 'CFG_'  Optional: false",
                "    db  Secret  Optional: true",
                "  DB_PASSWORD:  <set to the key 'password' in secret 'db'>  Optional: false",
                "  LEVEL:  <set to the key 'LOG_LEVEL' of config map 'web-config'>  Optional: true",
                "  Mounts:",
                "    /etc/web from config (ro)",
                "    /run/creds from creds (rw)",
                "    /cache from cache (rw,path=\"web\")");
        assertThat(PodConfigManifest.describeVolumes(t)).containsExactly("Volumes:",
                "  config:", "    Type:      ConfigMap (a volume populated by a ConfigMap)", "    Name:      web-config", "    Optional:  false",
                "  creds:", "    Type:        Secret (a volume populated by a Secret)", "    SecretName:  db", "    Optional:    false",
                "  cache:", "    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)", "    Medium:     Memory",
                "    SizeLimit:  64Mi");
    }
}
