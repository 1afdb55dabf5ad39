package dev.berth.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.bus.contract.SecurityContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an image's config says about the process to run (OCI image-spec {@code config}), and the
 * layers it is made of ({@code rootfs.diff_ids}, bottom first).
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user,
                          String os, String architecture, List<Digest> diffIds) {

    /** containerd's default when an image sets no PATH. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        diffIds = List.copyOf(diffIds);
    }

    static ImageConfig parse(byte[] json) {
        try {
            JsonNode root = JSON.readTree(json);
            JsonNode c = root.path("config");
            List<Digest> diffIds = new ArrayList<>();
            for (JsonNode d : root.path("rootfs").path("diff_ids")) diffIds.add(Digest.parse(d.asText()));
            return new ImageConfig(strings(c.path("Entrypoint")), strings(c.path("Cmd")), strings(c.path("Env")),
                    c.path("WorkingDir").asText(""), c.path("User").asText(""), root.path("os").asText(""),
                    root.path("architecture").asText(""), diffIds);
        } catch (IOException | IllegalArgumentException e) {
            throw ImageException.pull("bad image config: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) out.add(n.asText());
        return out;
    }

    /**
     * The process a container of this image runs, with Kubernetes' rules: {@code command} replaces
     * the Entrypoint (and drops Cmd), {@code args} replaces Cmd; the pod's env overrides the image's
     * by name and {@code $(VAR)} in command and args expands from the result; the pod's workingDir
     * wins over the image's, "/" otherwise; {@code runAsUser}/{@code runAsGroup} win over the image's
     * User, which may be a uid, a name, and either with {@code :group}, names looked up in the image's
     * /etc/passwd and /etc/group (read from {@code rootfs}, which may be null when the User is numeric).
     *
     * @throws ImageException reason CreateContainerConfigError when there is nothing to run or a user is unknown
     */
    public ProcessSpec resolve(List<String> command, List<String> args, Map<String, String> podEnv, String podWorkingDir,
                               Long runAsUser, Long runAsGroup, Path rootfs) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            if (eq > 0) environment.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        environment.putIfAbsent("PATH", DEFAULT_PATH);
        if (podEnv != null) environment.putAll(podEnv);

        List<String> argv = new ArrayList<>();
        boolean hasCommand = command != null && !command.isEmpty();
        boolean hasArgs = args != null && !args.isEmpty();
        if (hasCommand) {
            command.forEach(a -> argv.add(Expansion.expand(a, environment)));
        } else {
            argv.addAll(entrypoint);
        }
        if (hasArgs) {
            args.forEach(a -> argv.add(Expansion.expand(a, environment)));
        } else if (!hasCommand) {
            argv.addAll(cmd);
        }
        if (argv.isEmpty()) throw new ImageException(ProcessSpec.CONFIG_ERROR, "no command specified");

        String cwd = podWorkingDir != null && !podWorkingDir.isEmpty() ? podWorkingDir
                : !workingDir.isEmpty() ? workingDir : "/";
        if (!cwd.startsWith("/")) throw new ImageException(ProcessSpec.CONFIG_ERROR, "working directory \"" + cwd + "\" is not absolute");

        Users.Resolved u = Users.resolve(user, runAsUser, runAsGroup, rootfs);
        return new ProcessSpec(argv, environment, cwd, u.uid(), u.gid(), u.additionalGids());
    }

    /**
     * As {@link #resolve(List, List, Map, String, Long, Long, Path)} with the pod's securityContext (null: none):
     * its runAsUser/runAsGroup over the image's User and, with {@code runAsNonRoot}, the kubelet's check that
     * the process will not run as root.
     *
     * @throws ImageException reason CreateContainerConfigError, also when runAsNonRoot is broken
     */
    public ProcessSpec resolve(List<String> command, List<String> args, Map<String, String> podEnv, String podWorkingDir,
                               SecurityContext context, Path rootfs) {
        return resolveFor("", command, args, podEnv, podWorkingDir, context, rootfs);
    }

    /**
     * As above; {@code who} ends a runAsNonRoot refusal as the kubelet's does, e.g.
     * {@code  (pod: "web-1", container: web)}.
     */
    public ProcessSpec resolveFor(String who, List<String> command, List<String> args, Map<String, String> podEnv,
                                  String podWorkingDir, SecurityContext context, Path rootfs) {
        Long runAsUser = context == null ? null : context.runAsUser();
        Long runAsGroup = context == null ? null : context.runAsGroup();
        ProcessSpec p = resolve(command, args, podEnv, podWorkingDir, runAsUser, runAsGroup, rootfs);
        if (context != null && Boolean.TRUE.equals(context.runAsNonRoot())) nonRootProblem(runAsUser, p.uid()).ifPresent(why -> {
            throw new ImageException(ProcessSpec.CONFIG_ERROR, why + who);
        });
        return p;
    }

    /** The kubelet's verifyRunAsNonRoot: only a numeric uid is trusted, a name could map to root anywhere. */
    private java.util.Optional<String> nonRootProblem(Long runAsUser, long uid) {
        if (runAsUser != null) {
            return runAsUser == 0 ? java.util.Optional.of("container's runAsUser breaks non-root policy") : java.util.Optional.empty();
        }
        String userPart = user.indexOf(':') >= 0 ? user.substring(0, user.indexOf(':')) : user;
        if (uid == 0) return java.util.Optional.of("container has runAsNonRoot and image will run as root");
        if (!userPart.isEmpty() && !userPart.chars().allMatch(Character::isDigit)) {
            return java.util.Optional.of("container has runAsNonRoot and image has non-numeric user (" + userPart
                    + "), cannot verify user is non-root");
        }
        return java.util.Optional.empty();
    }

    /** Kubernetes' $(VAR) expansion: {@code $$} escapes, undefined references stay as written. */
    static final class Expansion {
        private Expansion() {}

        static String expand(String in, Map<String, String> env) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < in.length(); i++) {
                char c = in.charAt(i);
                if (c != '$' || i + 1 >= in.length()) {
                    out.append(c);
                    continue;
                }
                char next = in.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i++;
                } else if (next == '(') {
                    int close = in.indexOf(')', i + 2);
                    if (close < 0) {
                        out.append(in, i, in.length());
                        break;
                    }
                    String name = in.substring(i + 2, close);
                    String value = env.get(name);
                    out.append(value != null ? value : in.substring(i, close + 1));
                    i = close;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
