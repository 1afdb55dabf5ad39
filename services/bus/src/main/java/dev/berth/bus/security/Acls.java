package dev.berth.bus.security;

import dev.berth.bus.Topic;
import dev.berth.bus.Topic.Owner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bus's access rules, derived from the topic catalogue alone ({@link Topic#writers}, {@link Topic#readers}):
 * each topic writable only by its writers, readable by its readers; every principal may see (DESCRIBE) that
 * the {@code berth.} topics exist, and use consumer groups and transactional ids named after itself. No
 * service is a super-user. {@link BusAccounts} turns these into Kafka ACLs; docs/topics.md shows
 * {@link #markdown()} (checked by AclsDocTest), so a new topic in the catalogue needs no edit here.
 */
public final class Acls {
    private Acls() {}

    /** What a rule is about, as Kafka's ResourceType. */
    public enum Resource { TOPIC, GROUP, TRANSACTIONAL_ID }

    /** Kafka's AclOperation, the ones Berth grants. */
    public enum Operation { READ, WRITE, DESCRIBE }

    /** One ALLOW rule: {@code principal} may {@code operation} on the resource named {@code name} (or every name starting with it). */
    public record Grant(String principal, Resource resource, String name, boolean prefixed, Operation operation) {}

    public static final String USER = "berth-user";
    public static final String TOPIC_PREFIX = "berth.";

    /** The principal of a cluster-wide service, or of the user. */
    public static String principal(Owner role) {
        return switch (role) {
            case USERS -> USER;
            case CONTROLLER -> "berth-controller";
            case SCHEDULER -> "berth-scheduler";
            case AUTOSCALER -> "berth-autoscaler";
            case NODE_AGENT, PROXY -> throw new IllegalArgumentException(role + " has one principal per node: principal(role, node)");
            case ANY_CONSUMER -> throw new IllegalArgumentException("no principal is ANY_CONSUMER");
        };
    }

    /** A node's agent's or proxy's principal: {@code berth-node-agent.NODE}, {@code berth-proxy.NODE}. */
    public static String principal(Owner role, String node) {
        return switch (role) {
            case NODE_AGENT -> "berth-node-agent." + node;
            case PROXY -> "berth-proxy." + node;
            default -> principal(role);
        };
    }

    /** Every rule for one principal of {@code role}. */
    public static List<Grant> grants(Owner role, String principal) {
        List<Grant> g = new ArrayList<>();
        for (Topic t : Topic.values()) {
            if (t.writers().contains(role)) g.add(new Grant(principal, Resource.TOPIC, t.topicName(), false, Operation.WRITE));
            if (t.readers().contains(role)) g.add(new Grant(principal, Resource.TOPIC, t.topicName(), false, Operation.READ));
        }
        // Seeing the catalogue's topics (TopicAdmin.ensureTopics finds nothing to create) reveals no record.
        g.add(new Grant(principal, Resource.TOPIC, TOPIC_PREFIX, true, Operation.DESCRIBE));
        // Its own consumer groups and transactional ids: NAME and NAME.anything (the controller's group and
        // transactional id are berth-controller; a user's kcat -G berth-user.mine).
        for (boolean prefixed : new boolean[] {false, true}) {
            String name = prefixed ? principal + "." : principal;
            g.add(new Grant(principal, Resource.GROUP, name, prefixed, Operation.READ));
            g.add(new Grant(principal, Resource.TRANSACTIONAL_ID, name, prefixed, Operation.WRITE));
            g.add(new Grant(principal, Resource.TRANSACTIONAL_ID, name, prefixed, Operation.DESCRIBE));
        }
        return g;
    }

    /** The roles that have principals (everyone but ANY_CONSUMER), in catalogue order. */
    public static List<Owner> roles() {
        return java.util.Arrays.stream(Owner.values()).filter(o -> o != Owner.ANY_CONSUMER).toList();
    }

    /** The role's principal as the docs name it: node roles with NODE for the node's name. */
    static String shownPrincipal(Owner role) {
        return role == Owner.NODE_AGENT || role == Owner.PROXY ? principal(role, "NODE") : principal(role);
    }

    /** The topic ACLs as a Markdown table: topic, who may write it, who may read it. */
    public static String markdown() {
        StringBuilder b = new StringBuilder("| topic | WRITE | READ |\n|---|---|---|\n");
        for (Topic t : Topic.values()) {
            b.append("| `").append(t.topicName()).append("` | ").append(names(t.writers())).append(" | ").append(names(t.readers())).append(" |\n");
        }
        return b.toString();
    }

    private static String names(Set<Owner> roles) {
        return roles().stream().filter(roles::contains).map(r -> "`" + shownPrincipal(r) + "`").collect(Collectors.joining(", "));
    }
}
