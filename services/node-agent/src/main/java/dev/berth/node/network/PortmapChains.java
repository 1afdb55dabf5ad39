package dev.berth.node.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The portmap plugin's shared nat chains (CNI-HOSTPORT-DNAT, -SETMARK, -MASQ and the jumps to them from
 * PREROUTING, OUTPUT and POSTROUTING). DEL removes a pod's own chain (CNI-DN-…) and rules but never these,
 * since other pods may still use them; {@link #removeIfUnused} removes them once no pod's chain is left,
 * so a stopped local stack leaves the host's firewall as it found it.
 */
public final class PortmapChains {
    static final List<String> SHARED = List.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-SETMARK", "CNI-HOSTPORT-MASQ");

    private PortmapChains() {}

    /** Removes the shared chains when no pod's DNAT chain exists. Returns whether it removed anything. */
    public static boolean removeIfUnused() throws IOException {
        String nat = HostCommands.check(List.of("iptables-save", "-t", "nat"));
        if (nat.lines().anyMatch(l -> l.startsWith(":CNI-DN-"))) return false;
        boolean removed = false;
        for (String line : nat.lines().toList()) {
            if (!line.startsWith("-A ")) continue;
            List<String> rule = tokens(line.substring(3));
            int j = rule.indexOf("-j");
            if (j < 0 || j + 1 >= rule.size() || !SHARED.contains(rule.get(j + 1)) || SHARED.contains(rule.get(0))) continue;
            List<String> argv = new ArrayList<>(List.of("iptables", "-t", "nat", "-D"));
            argv.addAll(rule);
            HostCommands.check(argv);
            removed = true;
        }
        for (String chain : SHARED) {
            if (!nat.contains(":" + chain + " ")) continue;
            HostCommands.check(List.of("iptables", "-t", "nat", "-F", chain));
            HostCommands.check(List.of("iptables", "-t", "nat", "-X", chain));
            removed = true;
        }
        return removed;
    }

    /** Splits an iptables-save rule into arguments; double quotes group (comments), backslash escapes. */
    static List<String> tokens(String rule) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false, any = false;
        for (int i = 0; i < rule.length(); i++) {
            char c = rule.charAt(i);
            if (c == '\\' && i + 1 < rule.length()) { cur.append(rule.charAt(++i)); any = true; }
            else if (c == '"') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted) { if (any) out.add(cur.toString()); cur.setLength(0); any = false; }
            else { cur.append(c); any = true; }
        }
        if (any) out.add(cur.toString());
        return out;
    }
}
