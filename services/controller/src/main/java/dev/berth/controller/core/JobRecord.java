package dev.berth.controller.core;

import dev.berth.bus.contract.JobSpec;
import dev.berth.bus.contract.JobStatusChanged;
import dev.berth.bus.contract.Namespaces;

/**
 * A Job as desired now, with the status last published for it.
 *
 * @param uid        its {@code metadata.uid} (its pods' controller-uid label)
 * @param generation counts changes to it (1 when created)
 * @param status     the status last published on berth.jobs; null before the first (the Job has not started)
 */
public record JobRecord(JobSpec spec, String uid, long generation, JobStatusChanged status) {
    /** Between the namespace and the name of a Job's owner key: a DNS-1123 label never holds it, so no deployment key is one. */
    static final String MARK = "job:";

    public String name() { return spec.name(); }
    public String namespace() { return spec.namespace(); }
    /** Its {@link Namespaces#key}: how the controller indexes Jobs (and the record key on berth.jobs). */
    public String key() { return spec.key(); }
    /** How the controller indexes its pods, apart from any deployment's: {@code [namespace/]job:name}. */
    public String ownerKey() { return ownerKey(namespace(), name()); }

    public static String ownerKey(String namespace, String name) { return Namespaces.key(namespace, MARK + name); }

    /** Whether a pod owner key is a Job's. */
    public static boolean isJobOwnerKey(String ownerKey) { return Namespaces.nameOf(ownerKey).startsWith(MARK); }

    /** The Job key ({@link Namespaces#key}) of a Job's owner key. */
    public static String jobKey(String ownerKey) {
        return Namespaces.key(Namespaces.namespaceOf(ownerKey), Namespaces.nameOf(ownerKey).substring(MARK.length()));
    }

    public boolean finished() { return status != null && status.finished(); }

    public JobRecord withStatus(JobStatusChanged s) { return new JobRecord(spec, uid, generation, s); }
}
