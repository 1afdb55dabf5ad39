package dev.berth.bus;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every size and count Berth accepts at its doors, in one place: schemas/ states the same numbers
 * (ContractSchemasTest keeps them equal) and docs/limits.md explains each. The numbers follow
 * Kubernetes where it has one (names, labels, replicas as Berth caps them); where Kubernetes only has
 * etcd's 1.5 MiB object limit, they are picked so a pod template stays well inside one Kafka record.
 */
public final class Limits {
    private Limits() {}

    /** A command record larger than this is answered with a short rejection, never parsed. */
    public static final int COMMAND_RECORD_MAX_BYTES = 64 * 1024;
    /** A pod template travels in PodCreated and PodPlaced (with the scheduler's explanation): half a command record. */
    public static final int POD_TEMPLATE_MAX_BYTES = 32 * 1024;
    /** At most this much of a bad input is echoed back (rejections, dead letters): enough to recognise it. */
    public static final int EXCERPT_MAX_CHARS = 1024;

    /** Deployment and pod names, as Kubernetes: a DNS-1123 label. */
    public static final int NAME_MAX_LENGTH = 63;
    /** Node names, as Kubernetes: a DNS-1123 subdomain (host names qualify). */
    public static final int NODE_NAME_MAX_LENGTH = 253;
    public static final int IMAGE_MAX_LENGTH = 512;
    public static final int COMMAND_MAX_ITEMS = 1024;
    public static final int ARGS_MAX_ITEMS = 1024;
    public static final int ARG_MAX_LENGTH = 8192;
    public static final int ENV_MAX_ENTRIES = 1000;
    public static final int ENV_NAME_MAX_LENGTH = 253;
    public static final int ENV_VALUE_MAX_LENGTH = 8192;
    /** Label and selector entries per object; Kubernetes has no count, only the object size. */
    public static final int LABELS_MAX_ENTRIES = 64;
    /** Label keys: an optional DNS-1123 subdomain prefix (253) and '/', then a name of at most 63. */
    public static final int LABEL_KEY_MAX_LENGTH = 253 + 1 + 63;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;
    public static final int TAINTS_MAX_ITEMS = 64;
    /** A selector's matchExpressions, and the values of one; {@link dev.berth.bus.labels.LabelSelector}'s bounds. */
    public static final int SELECTOR_EXPRESSIONS_MAX_ITEMS = 64;
    public static final int SELECTOR_VALUES_MAX_ITEMS = 64;
    public static final int TOLERATIONS_MAX_ITEMS = 64;
    /** containers[] of one pod, and initContainers[] (Kubernetes has no count; Berth's bound, each is a runc container and a cgroup). */
    public static final int CONTAINERS_MAX_ITEMS = 16;
    public static final int INIT_CONTAINERS_MAX_ITEMS = 16;
    /** containers[].ports of one pod. */
    public static final int PORTS_MAX_ITEMS = 64;
    public static final int PORT_NAME_MAX_LENGTH = 15;
    public static final int REPLICAS_MAX = 10_000;
    /** Ports of one Service (Berth's bound; Kubernetes has none but the object size). */
    public static final int SERVICE_PORTS_MAX_ITEMS = 100;
    /** Pods behind one Service in its endpoints record: EndpointSlice's maximum. */
    public static final int ENDPOINTS_MAX_ITEMS = 1000;
    /** Services in one proxy metrics record; a proxy with more sends several. */
    public static final int PROXY_METRICS_SERVICES_MAX_ITEMS = 1000;
    /** Pods in one node metrics sample, and containers of one pod in it. */
    public static final int METRICS_PODS_MAX_ITEMS = 1000;
    public static final int METRICS_CONTAINERS_MAX_ITEMS = 64;
    /** A container's name in metrics (a DNS-1123 label in Kubernetes). */
    public static final int CONTAINER_NAME_MAX_LENGTH = 63;
    /** Metrics, policies and conditions of one HorizontalPodAutoscaler (Kubernetes has no count; Berth's bound). */
    public static final int HPA_METRICS_MAX_ITEMS = 10;
    public static final int HPA_POLICIES_MAX_ITEMS = 10;
    public static final int HPA_CONDITIONS_MAX_ITEMS = 10;
    /** Kubernetes' bounds: a stabilization window of at most an hour, a policy period of at most 30 minutes. */
    public static final int HPA_WINDOW_MAX_SECONDS = 3600;
    public static final int HPA_PERIOD_MAX_SECONDS = 1800;
    /** A Pods metric's name (Prometheus-style: letters, digits, '_' and ':'). */
    public static final int METRIC_NAME_MAX_LENGTH = 128;
    /** Percentages of requests an autoscaler may target or report (a busy pod can use many times its request). */
    public static final int UTILIZATION_MAX_PERCENT = 1_000_000;
    /** Kubernetes' default --service-node-port-range. */
    public static final int NODE_PORT_MIN = 30000;
    public static final int NODE_PORT_MAX = 32767;
    /** Probe timings, seconds; Kubernetes has no upper bound, Berth keeps them within an hour. */
    public static final int PROBE_SECONDS_MAX = 3600;
    public static final int PROBE_THRESHOLD_MAX = 1000;
    public static final int PROBE_PATH_MAX_LENGTH = 2048;
    public static final int WORKING_DIR_MAX_LENGTH = 4096;
    /** uid/gid: Kubernetes allows 0 to 2^31 - 1. */
    public static final long ID_NUMBER_MAX = Integer.MAX_VALUE;
    /** securityContext.capabilities add or drop: each names a capability once at most (41 of them, plus ALL). */
    public static final int CAPABILITIES_MAX_ENTRIES = 42;
    /** Annotations of a Deployment or pod template (Kubernetes bounds their total at 256 KiB; Berth per entry). */
    public static final int ANNOTATIONS_MAX_ENTRIES = 64;
    public static final int ANNOTATION_VALUE_MAX_LENGTH = 4096;
    /** minReadySeconds and progressDeadlineSeconds: Berth keeps them within a day. */
    public static final int ROLLOUT_SECONDS_MAX = 86_400;
    public static final int REVISION_HISTORY_MAX = 1000;
    /** A Job's completions and parallelism: as replicas, 0 … 10,000 (Kubernetes caps indexed Jobs at 100,000). */
    public static final int JOB_COMPLETIONS_MAX = 10_000;
    /** A Job's backoffLimit (Kubernetes: any int32; Berth's bound keeps a crash-looping Job's history finite). */
    public static final int JOB_BACKOFF_LIMIT_MAX = 10_000;
    /** activeDeadlineSeconds and ttlSecondsAfterFinished: Berth keeps them within 30 days. */
    public static final int JOB_SECONDS_MAX = 30 * 86_400;
    /** Lines in one ContainerLogs batch, and a line's length (the kubelet splits longer lines at 16 KiB too). */
    public static final int LOG_LINES_MAX_ITEMS = 1000;
    public static final int LOG_LINE_MAX_LENGTH = 16 * 1024;
    /** Kubernetes allows any grace period; Berth caps it so a stop (and `berth down`) ends in bounded time. */
    public static final int GRACE_PERIOD_MAX_SECONDS = 300;

    /** ConfigMap and Secret names, as Kubernetes: a DNS-1123 subdomain. */
    public static final int OBJECT_NAME_MAX_LENGTH = 253;
    /** Keys of a ConfigMap or Secret ({@code [-._a-zA-Z0-9]+}, as Kubernetes). */
    public static final int CONFIG_KEYS_MAX_ENTRIES = 1000;
    public static final int CONFIG_KEY_MAX_LENGTH = 253;
    /**
     * All values of a ConfigMap or Secret together, in characters as they travel (a Secret's base64): Kubernetes allows
     * 1 MiB, Berth what fits one command record of {@link #COMMAND_RECORD_MAX_BYTES} with room for names and keys.
     */
    public static final int CONFIG_DATA_MAX_CHARS = 48 * 1024;
    public static final int SECRET_TYPE_MAX_LENGTH = 253;
    /** A pod's volumes, and one container's volumeMounts (Kubernetes: no count, only the object size). */
    public static final int VOLUMES_MAX_ITEMS = 64;
    public static final int VOLUME_MOUNTS_MAX_ITEMS = 64;
    /** A configMap or secret volume's items: as many as an object's keys. */
    public static final int VOLUME_ITEMS_MAX_ITEMS = CONFIG_KEYS_MAX_ENTRIES;
    /** mountPath, subPath and items[].path. */
    public static final int VOLUME_PATH_MAX_LENGTH = 4096;
    /** One container's envFrom entries, and its env entries with valueFrom. */
    public static final int ENV_FROM_MAX_ITEMS = 64;
    public static final int ENV_VALUE_FROM_MAX_ITEMS = ENV_MAX_ENTRIES;
    /** File modes of configMap and secret volumes: 0 to 0777 (Kubernetes). */
    public static final int FILE_MODE_MAX = 0777;

    /**
     * Resource quantities of requests, limits and node capacity. Kubernetes allows up to 2^63 - 1; Berth caps
     * each so that the sums the scheduler and node keep (at most {@link #NODE_PODS_MAX_ITEMS} pods) cannot overflow.
     */
    public static final long CPU_MILLIS_MAX = 1_000_000_000L;
    public static final long MEMORY_BYTES_MAX = 1L << 50;
    public static final long EXTENDED_RESOURCE_MAX = 1_000_000_000L;
    /** Extended resources (nvidia.com/gpu, ...) per requests, limits or node capacity; Kubernetes has no count. */
    public static final int EXTENDED_RESOURCES_MAX_ENTRIES = 32;
    /** An extended resource's name: a qualified name with a prefix, as a label key. */
    public static final int EXTENDED_RESOURCE_NAME_MAX_LENGTH = LABEL_KEY_MAX_LENGTH;

    /** Envelope ids, correlation and causation ids, command ids. */
    public static final int ID_MAX_LENGTH = 256;
    public static final int TYPE_MAX_LENGTH = 64;
    public static final int SOURCE_MAX_LENGTH = 512;
    public static final int TIME_MAX_LENGTH = 64;
    /** Free text: reasons and messages of events and rejections. */
    public static final int TEXT_MAX_LENGTH = 4096;
    public static final int PROBLEMS_MAX_ITEMS = 20;
    public static final int PROBLEM_MAX_LENGTH = 1024;
    /** Images a node reports, and pods it runs (a heartbeat of 10,000 pod names stays under Kafka's 1 MiB). */
    public static final int NODE_IMAGES_MAX_ITEMS = 1000;
    public static final int NODE_PODS_MAX_ITEMS = 10_000;
    /** Kubernetes' NodeStatus.images: the node's 50 largest images, each with a few names. */
    public static final int NODE_CONTAINER_IMAGES_MAX_ITEMS = 50;
    public static final int CONTAINER_IMAGE_NAMES_MAX_ITEMS = 16;
    /** Scheduler explanations: filter reasons, score plugins, candidates, decisions and offsets of one step. */
    public static final int EXPLANATION_MAX_ENTRIES = 64;
    public static final int EXPLANATION_KEY_MAX_LENGTH = 256;
    public static final int CANDIDATES_MAX_ITEMS = 16;
    public static final int STEP_DECISIONS_MAX_ITEMS = 10_000;
    public static final int STEP_DECISION_MAX_LENGTH = 512;
    public static final int STEP_PARTITIONS_MAX_ENTRIES = 1024;

    public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    public static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** Kubernetes' qualified name: optional DNS subdomain prefix and '/', then up to 63 of alphanumerics, '-', '_', '.'. */
    public static final Pattern LABEL_KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /** Kubernetes' extended resource names: a qualified name that must have a domain prefix (domain/name). */
    public static final Pattern EXTENDED_RESOURCE_NAME = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    public static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    /** As Kubernetes' environment variable names. */
    /** Kubernetes' IANA_SVC_NAME characters (the letter and "--" rules are checked apart). */
    public static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    public static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
    public static final Pattern IPV4_CIDR = Pattern.compile("[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}/[0-9]{1,2}");
    public static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    /** An image reference has no white space or control characters. */
    public static final Pattern IMAGE = Pattern.compile("[^\\s\\x00-\\x1F\\x7F]+");
    /** A ConfigMap or Secret key, as Kubernetes. */
    public static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    public static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    public static final Pattern TYPE_NAME = Pattern.compile("[A-Z][A-Za-z]+");
    /** Envelope, correlation and causation ids: printable ASCII without spaces (a forged id cannot carry control characters). */
    public static final Pattern ID = Pattern.compile("[!-~]+");

    /**
     * At most {@code max} characters of {@code text}, marked as cut (with the full length) when it was
     * longer; never splits a surrogate pair. Null stays null.
     */
    public static String excerpt(String text, int max) {
        if (text == null || text.length() <= max) return text;
        String marker = "... (" + text.length() + " characters)";
        int keep = Math.max(0, max - marker.length());
        if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) keep--;
        return text.substring(0, keep) + marker;
    }

    /** {@link #excerpt} with {@link #EXCERPT_MAX_CHARS}. */
    public static String excerpt(String text) { return excerpt(text, EXCERPT_MAX_CHARS); }

    /**
     * At most {@link #PROBLEMS_MAX_ITEMS} problems, each at most {@link #PROBLEM_MAX_LENGTH} characters;
     * the last one says how many were left out.
     */
    public static List<String> boundedProblems(List<String> problems) {
        List<String> out = new ArrayList<>();
        if (problems == null) return out;
        int room = problems.size() > PROBLEMS_MAX_ITEMS ? PROBLEMS_MAX_ITEMS - 1 : problems.size();
        for (int i = 0; i < room; i++) out.add(excerpt(String.valueOf(problems.get(i)), PROBLEM_MAX_LENGTH));
        if (problems.size() > room) out.add("... and " + (problems.size() - room) + " more problems");
        return out;
    }

    /** The size of {@code s.getBytes(UTF_8)}, without encoding it. */
    public static long utf8Bytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) n++; // unpaired: the encoder writes '?'
            else n += 3;
        }
        return n;
    }

    /** Whether a record value of this many UTF-8 bytes may be read as a command. */
    public static boolean commandRecordFits(byte[] value) {
        return value == null || value.length <= COMMAND_RECORD_MAX_BYTES;
    }

    /**
     * {@code dir/name} when {@code name} is one plain path element (not empty, not "." or "..", no
     * separator, no NUL) and the result, normalised, stays inside {@code dir}; otherwise an
     * IllegalArgumentException. For names taken from records (pods, nodes, images) before they become files.
     */
    public static Path inside(Path dir, String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: '" + excerpt(name, 80) + "'");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path child = base.resolve(name).normalize();
        if (!child.getParent().equals(base)) throw new IllegalArgumentException("'" + excerpt(name, 80) + "' leaves " + base);
        return child;
    }
}
