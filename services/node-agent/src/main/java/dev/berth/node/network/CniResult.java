package dev.berth.node.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The result of a network's ADD (what the last plugin of the chain printed): interfaces, IPs, routes,
 * DNS. Kept as the plugin's JSON, since it is handed back to plugins as prevResult on CHECK and DEL and
 * must round-trip unchanged; accessors read the fields Berth needs, in the shapes of 0.3.x/0.4.0
 * ({@code "version": "4"} per IP) and 1.0.0 (no version, the address tells).
 */
public record CniResult(ObjectNode json) {
    public CniResult {
        json = json.deepCopy();
    }

    public record Interface(String name, String mac, String sandbox) {}

    /** @param interfaceIndex index into {@link #interfaces()}, or -1 when the plugin gave none */
    public record Ip(String address, String gateway, int interfaceIndex) {
        public boolean isV4() { return !address.contains(":"); }
        /** The address without its prefix length: "10.244.1.5/24" → "10.244.1.5". */
        public String ip() { int slash = address.indexOf('/'); return slash < 0 ? address : address.substring(0, slash); }
    }

    public String cniVersion() { return json.path("cniVersion").asText(""); }

    public List<Interface> interfaces() {
        List<Interface> out = new ArrayList<>();
        for (JsonNode i : json.path("interfaces")) {
            out.add(new Interface(i.path("name").asText(""), text(i, "mac"), text(i, "sandbox")));
        }
        return out;
    }

    public List<Ip> ips() {
        List<Ip> out = new ArrayList<>();
        for (JsonNode i : json.path("ips")) {
            String address = text(i, "address");
            if (address == null) continue;
            out.add(new Ip(address, text(i, "gateway"), i.path("interface").canConvertToInt() ? i.path("interface").asInt() : -1));
        }
        return out;
    }

    /**
     * The pod's IPv4 address: the first IPv4 on the sandbox interface {@code ifName}, else the first IPv4
     * on any sandbox interface, else the first IPv4 at all (IPAM-only results name no interface).
     */
    public Optional<String> podIPv4(String ifName) {
        List<Interface> ifs = interfaces();
        Optional<Ip> onIf = ips().stream().filter(Ip::isV4).filter(ip -> sandboxIf(ifs, ip) && ifs.get(ip.interfaceIndex()).name().equals(ifName)).findFirst();
        if (onIf.isPresent()) return onIf.map(Ip::ip);
        Optional<Ip> inSandbox = ips().stream().filter(Ip::isV4).filter(ip -> sandboxIf(ifs, ip)).findFirst();
        if (inSandbox.isPresent()) return inSandbox.map(Ip::ip);
        return ips().stream().filter(Ip::isV4).findFirst().map(Ip::ip);
    }

    /** The host-side interfaces the chain created (no sandbox), e.g. the bridge and the veth's host end. */
    public List<String> hostInterfaces() {
        return interfaces().stream().filter(i -> i.sandbox() == null || i.sandbox().isEmpty()).map(Interface::name).toList();
    }

    private static boolean sandboxIf(List<Interface> ifs, Ip ip) {
        int i = ip.interfaceIndex();
        return i >= 0 && i < ifs.size() && ifs.get(i).sandbox() != null && !ifs.get(i).sandbox().isEmpty();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
