package dev.berth.node.network;

/** An IPv4 network in CIDR notation; the address must be the network's first (no host bits set). */
public record Ipv4Cidr(int network, int prefix) {
    public Ipv4Cidr {
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix length out of 0..32: " + prefix);
        if ((network & ~mask(prefix)) != 0) throw new IllegalArgumentException("host bits set in " + format(network) + "/" + prefix);
    }

    public static Ipv4Cidr parse(String s) {
        if (s == null) throw new IllegalArgumentException("no CIDR");
        int slash = s.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a CIDR (no /prefix): " + s);
        int prefix;
        try {
            prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + s);
        }
        return new Ipv4Cidr(parseAddress(s.substring(0, slash)), prefix);
    }

    public static int parseAddress(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + s);
        int a = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) throw new IllegalArgumentException("not an IPv4 address: " + s);
            int v = Integer.parseInt(p);
            if (v > 255) throw new IllegalArgumentException("not an IPv4 address: " + s);
            a = (a << 8) | v;
        }
        return a;
    }

    public static String format(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    static int mask(int prefix) { return prefix == 0 ? 0 : -1 << (32 - prefix); }

    /** The n-th address of the network (0 = the network address). */
    public String address(long n) { return format(network + (int) n); }

    public boolean contains(String address) {
        return (parseAddress(address) & mask(prefix)) == network;
    }

    @Override
    public String toString() { return format(network) + "/" + prefix; }
}
