package dev.berth.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.contract.PodTemplate;
import dev.berth.bus.contract.SecurityContext;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the controller refuses of a securityContext before any node sees it (docs/security.md). */
class SecurityContextValidationTest {

    private static List<String> problems(SecurityContext s) {
        return Validation.templateLimits(new PodTemplate("busybox", List.of(), List.of(), null, null, "Always", 10, null, null, null,
                null, null, null, null, s));
    }

    private static SecurityContext caps(List<String> add, List<String> drop, Boolean privileged, Boolean escalation) {
        return new SecurityContext(null, null, null, new SecurityContext.Capabilities(add, drop), privileged, escalation, null);
    }

    @Test
    void kubernetesCapabilityNamesAndAllPass() {
        assertThat(problems(caps(List.of("NET_ADMIN", "SYS_TIME"), List.of("ALL"), null, false))).isEmpty();
        assertThat(problems(new SecurityContext(1000L, 1000L, true, null, true, true, true))).isEmpty();
    }

    @Test
    void anUnknownCapabilityIsRefusedByIndex() {
        assertThat(problems(caps(List.of("NET_ADMIN", "CAP_KILL"), List.of(), null, null)))
                .singleElement().asString().contains("capabilities/add/1").contains("'CAP_KILL' is not a capability");
        assertThat(problems(caps(List.of(), Collections.nCopies(43, "KILL"), null, null)))
                .singleElement().asString().contains("43 entries, at most 42");
    }

    @Test
    void noEscalationContradictingPrivilegedOrSysAdminIsRefusedInKubernetesWords() {
        assertThat(problems(caps(List.of(), List.of(), true, false)))
                .singleElement().asString().contains("cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
        assertThat(problems(caps(List.of("SYS_ADMIN"), List.of(), null, false)))
                .singleElement().asString().contains("cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
    }
}
