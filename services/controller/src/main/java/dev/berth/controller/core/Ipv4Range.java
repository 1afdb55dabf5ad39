package dev.berth.controller.core;

/**
 * An IPv4 CIDR block, as the allocators need it: parse, size, the n-th address or sub-block. Addresses
 * are handled as unsigned 32-bit values in a long. (The node agent has its own copy; no service module
 * depends on another.)
 */
public record Ipv4Range(long network, int prefix) {
    public Ipv4Range {
        if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("prefix length out of 0..32: " + prefix);
        if (network < 0 || network > 0xFFFF_FFFFL) throw new IllegalArgumentException("not an IPv4 address: " + network);
        if ((network & ~mask(prefix) & 0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("host bits set in " + format(network) + "/" + prefix + " (did you mean " + format(network & mask(prefix)) + "/" + prefix + "?)");
        }
    }

    public static Ipv4Range parse(String cidr) {
        if (cidr == null) throw new IllegalArgumentException("no CIDR given");
        int slash = cidr.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("not a CIDR (no /prefix): " + cidr);
        String p = cidr.substring(slash + 1);
        if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(Character::isDigit)) throw new IllegalArgumentException("not a CIDR: " + cidr);
        return new Ipv4Range(parseAddress(cidr.substring(0, slash)), Integer.parseInt(p));
    }

    public static long parseAddress(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + s);
        long a = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) throw new IllegalArgumentException("not an IPv4 address: " + s);
            int v = Integer.parseInt(part);
            if (v > 255) throw new IllegalArgumentException("not an IPv4 address: " + s);
            a = (a << 8) | v;
        }
        return a;
    }

    public static String format(long a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    private static long mask(int prefix) { return prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL; }

    /** Number of addresses. */
    public long size() { return 1L << (32 - prefix); }

    public boolean contains(long address) { return (address & mask(prefix)) == network; }

    /** Offset of {@code address} in this range; the address must be inside it. */
    public long offsetOf(long address) { return address - network; }

    public String address(long offset) { return format(network + offset); }

    /** The {@code index}-th sub-block of prefix {@code subPrefix}. */
    public Ipv4Range block(long index, int subPrefix) {
        return new Ipv4Range(network + index * (1L << (32 - subPrefix)), subPrefix);
    }

    @Override
    public String toString() { return format(network) + "/" + prefix; }
}
