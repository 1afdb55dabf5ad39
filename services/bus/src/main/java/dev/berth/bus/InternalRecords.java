package dev.berth.bus;

import dev.berth.bus.contract.NodeHeartbeat;
import dev.berth.bus.contract.NodeStatusChanged;
import dev.berth.bus.contract.Payload;
import dev.berth.bus.contract.PodCreated;
import dev.berth.bus.contract.PodDeletionRequested;
import dev.berth.bus.contract.PodLost;
import dev.berth.bus.contract.PodPlaced;
import dev.berth.bus.contract.PodReleased;
import dev.berth.bus.contract.PodStatusChanged;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Structural checks of records written by Berth services, run by the {@link ServiceLoop} on every
 * decoded internal record (commands are checked against their JSON Schemas instead). The streaming
 * decoder binds what it finds and leaves missing fields null; these checks turn such a record into a
 * dead letter before a core dereferences it. They look only at the decoded objects: no second parse.
 */
public final class InternalRecords {
    private InternalRecords() {}

    /** A Kubernetes DNS-1123 label: pod and node names become file names, cgroup and netns names. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Node names are DNS-1123 subdomains (host names), as in Kubernetes. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** Problems of {@code payload}; empty when it is fit for a core. */
    public static List<String> problems(Payload payload) {
        List<String> p = new ArrayList<>(0);
        if (payload instanceof PodPlaced e) {
            label(p, "pod", e.pod());
            host(p, "node", e.node());
            if (e.template() == null) p.add("/data/template: required");
        } else if (payload instanceof PodCreated e) {
            label(p, "pod", e.pod());
            required(p, "deployment", e.deployment());
            if (e.template() == null) p.add("/data/template: required");
        } else if (payload instanceof PodStatusChanged e) {
            label(p, "pod", e.pod());
            if (e.state() == null) p.add("/data/state: required");
        } else if (payload instanceof PodReleased e) {
            label(p, "pod", e.pod());
            host(p, "node", e.node());
        } else if (payload instanceof PodDeletionRequested e) {
            label(p, "pod", e.pod());
        } else if (payload instanceof PodLost e) {
            label(p, "pod", e.pod());
        } else if (payload instanceof NodeHeartbeat e) {
            host(p, "node", e.node());
            if (e.capacity() == null) p.add("/data/capacity: required");
            if (e.allocatable() == null) p.add("/data/allocatable: required");
        } else if (payload instanceof NodeStatusChanged e) {
            host(p, "node", e.node());
            if (e.condition() == null) p.add("/data/condition: required");
        }
        return p;
    }

    private static void label(List<String> problems, String field, String value) {
        if (value == null) problems.add("/data/" + field + ": required");
        else if (!DNS_LABEL.matcher(value).matches()) {
            problems.add("/data/" + field + ": " + Excerpt.of(value, 80) + " is not a DNS-1123 label");
        }
    }

    private static void host(List<String> problems, String field, String value) {
        if (value == null) problems.add("/data/" + field + ": required");
        else if (!DNS_SUBDOMAIN.matcher(value).matches()) {
            problems.add("/data/" + field + ": " + Excerpt.of(value, 80) + " is not a DNS-1123 subdomain");
        }
    }

    private static void required(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) problems.add("/data/" + field + ": required");
    }
}
