package dev.berth.bus.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The catalogue, the ACLs and the docs stay one source: docs/security.md's ACL table is exactly what Acls derives. */
class AclsDocTest {

    @Test
    void securityDocShowsTheAclsTheCatalogueDerives() throws Exception {
        String doc = Files.readString(Path.of("../../docs/security.md"));
        int start = doc.indexOf("| topic | WRITE | READ |");
        assertThat(start).as("docs/security.md has the ACL table").isNotNegative();
        int end = doc.indexOf("\n\n", start);
        String table = (end < 0 ? doc.substring(start) : doc.substring(start, end + 1));
        assertThat(table).isEqualTo(Acls.markdown());
    }
}
