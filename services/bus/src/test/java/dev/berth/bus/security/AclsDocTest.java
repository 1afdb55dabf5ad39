package dev.berth.bus.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Topic;
import dev.berth.bus.Topic.Owner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The catalogue, the ACLs and docs/topics.md stay one source: the ACLs come from Topic, the docs show exactly them. */
class AclsDocTest {

    static final String HEADER = "| topic | WRITE | READ |";

    @Test
    void topicsDocShowsTheAclsTheCatalogueDerives() throws Exception {
        String doc = Files.readString(Path.of("../../docs/topics.md"));
        int start = doc.indexOf(HEADER);
        assertThat(start).as("docs/topics.md has the ACL table").isNotNegative();
        int end = doc.indexOf("\n\n", start);
        String table = end < 0 ? doc.substring(start) : doc.substring(start, end + 1);
        assertThat(table).as("docs/topics.md's ACL table; regenerate it from Acls.markdown()").isEqualTo(Acls.markdown());
    }

    @Test
    void securityDocKeepsNoCopyOfTheTable() throws Exception {
        String doc = Files.readString(Path.of("../../docs/security.md"));
        assertThat(doc).doesNotContain(HEADER).contains("topics.md#who-may-write-and-read");
    }

    @Test
    void everyTopicsOwnerWritesItAndReadsItBack() {
        for (Topic t : Topic.values()) {
            if (t.owner() == Owner.ANY_CONSUMER) continue;
            assertThat(t.writers()).as(t.topicName()).contains(t.owner());
            assertThat(t.readers()).as(t.topicName()).contains(t.owner(), Owner.USERS);
        }
    }

    @Test
    void secretsAreReadOnlyByTheControllerNodeAgentsAndTheUser() {
        assertThat(Topic.SECRETS.readers()).containsExactlyInAnyOrder(Owner.CONTROLLER, Owner.NODE_AGENT, Owner.USERS);
        assertThat(Topic.SECRETS.writers()).containsExactly(Owner.CONTROLLER);
    }

    @Test
    void onlyTheUserAndTheAutoscalerWriteCommandsAndNobodyIsASuperUser() {
        assertThat(Topic.COMMANDS.writers()).containsExactlyInAnyOrder(Owner.USERS, Owner.AUTOSCALER);
        for (Owner role : Acls.roles()) {
            for (Acls.Grant g : Acls.grants(role, Acls.shownPrincipal(role))) {
                // Every grant names a berth.* topic, or the principal's own groups and transactional ids.
                if (g.resource() == Acls.Resource.TOPIC) assertThat(g.name()).startsWith(Acls.TOPIC_PREFIX);
                else assertThat(g.name()).startsWith(Acls.shownPrincipal(role));
                assertThat(Set.of(Acls.Operation.values())).contains(g.operation());
            }
        }
    }
}
