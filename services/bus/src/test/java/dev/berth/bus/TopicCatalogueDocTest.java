package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/topics.md must list every topic of the catalogue with its key and partitions. */
class TopicCatalogueDocTest {

    @Test
    void docsTableMatchesTheCatalogue() throws Exception {
        // The catalogue's table: rows with all seven columns (the ACL table below it has three).
        List<String> rows = Files.readAllLines(Path.of("../../docs/topics.md")).stream()
                .filter(l -> l.startsWith("| `berth.") && l.split("\\|").length >= 8).toList();

        assertThat(rows).hasSize(Topic.values().length);
        for (Topic t : Topic.values()) {
            assertThat(rows).as("row of %s", t.topicName()).anySatisfy(row -> {
                String[] cells = row.split("\\|");
                assertThat(cells[1].trim()).isEqualTo("`" + t.topicName() + "`");
                assertThat(cells[2].trim()).isEqualTo(t.key());
                assertThat(cells[4].trim()).isEqualTo(Integer.toString(t.partitions()));
                assertThat(cells[5].trim()).isEqualTo(t.cleanup().name().toLowerCase());
                assertThat(cells[6].trim()).isEqualTo(t.retention().toDays() + " d");
            });
        }
    }
}
