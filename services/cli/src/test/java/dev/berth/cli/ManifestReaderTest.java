package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    static final InputStream NO_STDIN = InputStream.nullInputStream();

    static final String GUESTBOOK_LIKE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: frontend
            spec:
              ports: [{port: 80}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: frontend
            spec:
              replicas: 3
              selector: {matchLabels: {app: guestbook}}
              template:
                metadata: {labels: {app: guestbook}}
                spec:
                  containers:
                  - name: php-redis
                    image: gb-frontend:v5
                    resources: {limits: {cpu: 100m, memory: 100Mi}}
            ---
            # a comment-only document is nothing
            ---
            """;

    @TempDir Path dir;

    @Test
    void readsEveryDocumentOfAFileInOrderWithWhereItCameFrom() throws Exception {
        Path f = write("all.yaml", GUESTBOOK_LIKE);

        List<ManifestReader.Item> items = ManifestReader.read(f.toString(), NO_STDIN);

        assertThat(items).extracting(ManifestReader.Item::ref).containsExactly("service/frontend", "deployment.apps/frontend");
        assertThat(items.get(1).source()).isEqualTo(f + " (document 2)");
        assertThat(items).allMatch(i -> i.problem() == null);
    }

    @Test
    void readsADirectoryInNameOrderAndSkipsOtherFiles() throws Exception {
        write("b.yml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\n");
        write("a.json", "{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"shop\"}}");
        write("README.md", "# not a manifest");

        assertThat(ManifestReader.read(dir.toString(), NO_STDIN)).extracting(ManifestReader.Item::ref)
                .containsExactly("namespace/shop", "deployment.apps/b");
    }

    @Test
    void readsStandardInputForADash() throws Exception {
        InputStream stdin = new ByteArrayInputStream(GUESTBOOK_LIKE.getBytes(StandardCharsets.UTF_8));

        assertThat(ManifestReader.read("-", stdin)).hasSize(2).first().extracting(ManifestReader.Item::source).isEqualTo("<stdin>");
    }

    @Test
    void readsTheItemsOfAList() throws Exception {
        Path f = write("list.yaml", """
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: apps/v1, kind: Deployment, metadata: {name: one}}
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: two}}
                """);

        assertThat(ManifestReader.read(f.toString(), NO_STDIN)).extracting(ManifestReader.Item::ref)
                .containsExactly("deployment.apps/one", "configmap/two");
    }

    @Test
    void aBrokenDocumentIsReportedAndTheOnesBeforeItAndOtherFilesStillCount() throws Exception {
        write("a.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ok}\n---\nkind: [unclosed\n");
        write("b.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\n");
        write("c.yaml", "- just\n- a list\n");
        write("d.yaml", "metadata: {name: kindless}\n");

        List<ManifestReader.Item> items = ManifestReader.read(dir.toString(), NO_STDIN);

        assertThat(items).as(items.toString()).extracting(i -> i.problem() == null ? i.ref() : "problem").containsExactly("deployment.apps/ok", "problem",
                "deployment.apps/other", "problem", "problem");
        assertThat(items.get(1).source()).endsWith("a.yaml (document 2)");
        assertThat(items.get(1).problem()).startsWith("not valid YAML");
        assertThat(items.get(3).problem()).isEqualTo("expected an object with apiVersion and kind");
        assertThat(items.get(4).problem()).isEqualTo("apiVersion and kind are required");
    }

    @Test
    void missingPathsEmptyInputAndHugeInputAreAnswered() throws Exception {
        assertThatThrownBy(() -> ManifestReader.read(dir.resolve("nope.yaml").toString(), NO_STDIN)).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ManifestReader.read(dir.toString(), NO_STDIN)).hasMessageContaining("no .yaml, .yml or .json files");
        Path empty = write("empty.yaml", "---\n---\n");
        assertThatThrownBy(() -> ManifestReader.read(empty.toString(), NO_STDIN)).hasMessageContaining("no objects");
        byte[] huge = new byte[(int) ManifestReader.MAX_FILE_BYTES + 10];
        assertThatThrownBy(() -> ManifestReader.read("-", new ByteArrayInputStream(huge))).hasMessageContaining("more than");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= ManifestReader.MAX_OBJECTS; i++) many.append("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c").append(i).append("}\n---\n");
        Path lots = write("lots.yaml", many.toString());
        assertThatThrownBy(() -> ManifestReader.read(lots.toString(), NO_STDIN)).hasMessageContaining("more than 1000 objects");
    }

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
