package dev.berth.bus.security;

import dev.berth.bus.BusConfig;
import dev.berth.bus.Topic.Owner;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The bus's principals made real on a broker (blocking; call it off the event loop): a SCRAM-SHA-512
 * credential per principal, with a fresh random password, and exactly the ACLs {@link Acls} derives for
 * it. Principals named {@code berth-*} that are no longer wanted (a node removed, an older run) lose their
 * credentials and ACLs, so no password of an earlier run still opens the bus.
 */
public final class BusAccounts {
    private BusAccounts() {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ITERATIONS = 4096;

    /** A principal, its role (what {@link Acls#grants} it gets) and its password. */
    public record Account(String principal, Owner role, String password) {
        public static Account create(Owner role, String principal) {
            byte[] secret = new byte[24];
            RANDOM.nextBytes(secret);
            return new Account(principal, role, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        }

        /** {@code bus} authenticated as this principal. */
        public BusConfig on(BusConfig bus) { return bus.as(principal, password); }

        @Override
        public String toString() { return "Account[" + principal + ", " + role + "]"; }
    }

    /** Upserts every account's credential and ACLs through {@code admin} (a super-user's client), removes other berth-* principals', and waits until the broker enforces them. */
    public static void apply(BusConfig admin, List<Account> accounts) {
        Set<String> wanted = new HashSet<>();
        accounts.forEach(a -> wanted.add(a.principal()));
        try (Admin client = Admin.create(admin.props(admin.admin()))) {
            List<UserScramCredentialAlteration> changes = new ArrayList<>();
            for (String user : client.describeUserScramCredentials().users().get(30, TimeUnit.SECONDS)) {
                if (user.startsWith("berth-") && !wanted.contains(user)) changes.add(new UserScramCredentialDeletion(user, ScramMechanism.SCRAM_SHA_512));
            }
            for (Account a : accounts) {
                changes.add(new UserScramCredentialUpsertion(a.principal(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), a.password()));
            }
            client.alterUserScramCredentials(changes).all().get(30, TimeUnit.SECONDS);

            List<AclBinding> bindings = new ArrayList<>();
            for (Account a : accounts) for (Acls.Grant g : Acls.grants(a.role(), a.principal())) bindings.add(binding(g));
            Set<AclBinding> want = new HashSet<>(bindings);
            List<AclBindingFilter> stale = new ArrayList<>();
            for (AclBinding b : client.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)) {
                if (b.entry().principal().startsWith("User:berth-") && !want.contains(b)) stale.add(b.toFilter());
            }
            if (!stale.isEmpty()) client.deleteAcls(stale).all().get(30, TimeUnit.SECONDS);
            client.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
            awaitEnforced(client, wanted, want);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the bus's principals and ACLs on " + admin.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /** The controller commits credentials and ACLs; the broker serves (and enforces) them once it has applied that metadata. */
    private static void awaitEnforced(Admin client, Set<String> users, Set<AclBinding> acls) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Set<String> known = new HashSet<>(client.describeUserScramCredentials().users().get(10, TimeUnit.SECONDS));
            Set<AclBinding> present = new HashSet<>(client.describeAcls(AclBindingFilter.ANY).values().get(10, TimeUnit.SECONDS));
            if (known.containsAll(users) && present.containsAll(acls)) return;
            Thread.sleep(50);
        }
        throw new IllegalStateException("the broker does not show the bus's credentials and ACLs after 30 s");
    }

    static AclBinding binding(Acls.Grant g) {
        ResourceType type = switch (g.resource()) {
            case TOPIC -> ResourceType.TOPIC;
            case GROUP -> ResourceType.GROUP;
            case TRANSACTIONAL_ID -> ResourceType.TRANSACTIONAL_ID;
        };
        AclOperation op = switch (g.operation()) {
            case READ -> AclOperation.READ;
            case WRITE -> AclOperation.WRITE;
            case DESCRIBE -> AclOperation.DESCRIBE;
        };
        return new AclBinding(new ResourcePattern(type, g.name(), g.prefixed() ? PatternType.PREFIXED : PatternType.LITERAL),
                new AccessControlEntry("User:" + g.principal(), "*", op, AclPermissionType.ALLOW));
    }

}
