package dev.berth.node.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An image's {@code User} as runc and Docker read it: {@code uid}, {@code name}, {@code uid:gid},
 * {@code name:group}; names from the image's /etc/passwd and /etc/group. A numeric uid absent from
 * passwd runs with gid 0, as Docker does. Supplementary groups are those of /etc/group naming the user.
 */
final class Users {

    record Resolved(long uid, long gid, List<Long> additionalGids) {}

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,10}");
    private static final long MAX_FILE = 1 << 20;

    private Users() {}

    static Resolved resolve(String user, Long runAsUser, Long runAsGroup, Path rootfs) {
        String u = user == null ? "" : user;
        String userPart = u;
        String groupPart = null;
        int colon = u.indexOf(':');
        if (colon >= 0) {
            userPart = u.substring(0, colon);
            groupPart = u.substring(colon + 1);
        }
        if (runAsUser != null) {
            userPart = Long.toString(runAsUser);
        }
        long uid = 0;
        long gid = 0;
        String name = null;
        if (userPart.isEmpty()) {
            name = "root";
        } else if (NUMBER.matcher(userPart).matches()) {
            uid = Long.parseLong(userPart);
            String[] entry = find(rootfs, "etc/passwd", 2, userPart);
            if (entry != null) {
                name = entry[0];
                gid = number(entry, 3);
            }
        } else {
            String[] entry = find(rootfs, "etc/passwd", 0, userPart);
            if (entry == null) {
                throw new ImageException(ProcessSpec.CONFIG_ERROR,
                        "unable to find user " + userPart + ": no matching entries in passwd file");
            }
            name = userPart;
            uid = number(entry, 2);
            gid = number(entry, 3);
        }
        if (groupPart != null && !groupPart.isEmpty()) {
            if (NUMBER.matcher(groupPart).matches()) {
                gid = Long.parseLong(groupPart);
            } else {
                String[] g = find(rootfs, "etc/group", 0, groupPart);
                if (g == null) {
                    throw new ImageException(ProcessSpec.CONFIG_ERROR,
                            "unable to find group " + groupPart + ": no matching entries in group file");
                }
                gid = number(g, 2);
            }
        }
        if (runAsGroup != null) gid = runAsGroup;
        List<Long> extra = new ArrayList<>();
        if (name != null && rootfs != null) {
            for (String[] g : entries(rootfs, "etc/group")) {
                if (g.length < 4 || g[3].isEmpty()) continue;
                for (String member : g[3].split(",")) {
                    if (member.strip().equals(name)) {
                        long id = number(g, 2);
                        if (id != gid && !extra.contains(id)) extra.add(id);
                    }
                }
            }
        }
        return new Resolved(uid, gid, extra);
    }

    private static String[] find(Path rootfs, String file, int field, String value) {
        for (String[] e : entries(rootfs, file)) {
            if (e.length > field && e[field].equals(value)) return e;
        }
        return null;
    }

    private static long number(String[] entry, int field) {
        if (entry.length <= field || !NUMBER.matcher(entry[field]).matches()) {
            throw new ImageException(ProcessSpec.CONFIG_ERROR, "malformed entry for " + entry[0]);
        }
        return Long.parseLong(entry[field]);
    }

    /**
     * The lines of a file in the image, read only if it is a plain file reached without symlinks
     * (a symlinked /etc/passwd could point at the host's). Missing means no entries.
     */
    private static List<String[]> entries(Path rootfs, String file) {
        if (rootfs == null) return List.of();
        Path p = rootfs;
        try {
            for (String c : file.split("/")) {
                p = p.resolve(c);
                if (Files.isSymbolicLink(p)) return List.of();
            }
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) > MAX_FILE) return List.of();
            List<String[]> out = new ArrayList<>();
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) continue;
                out.add(line.split(":", -1));
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }
}
