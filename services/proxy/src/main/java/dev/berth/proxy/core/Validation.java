package dev.berth.proxy.core;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one {@link ServiceEndpoints} before it enters the table: every door has a limit. The
 * controller validates Services too; the proxy checks again because it binds what a record says.
 */
public final class Validation {
    /** Ports per Service (Kubernetes has no hard limit; a hundred is far past any real Service). */
    public static final int MAX_PORTS = 100;
    /** Endpoints per Service: EndpointSlice's maximum (maxEndpointsPerSlice is at most 1000). */
    public static final int MAX_ENDPOINTS = 1000;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** IANA_SVC_NAME, as Kubernetes checks port names: at most 15 characters. */
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?");
    private static final Pattern POD_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    private Validation() {}

    /** The reason the update cannot be applied, or empty when it can. */
    public static Optional<String> problem(ServiceEndpoints s, int nodePortMin, int nodePortMax) {
        if (!DNS_LABEL.matcher(nullToEmpty(s.key().namespace())).matches()) {
            return Optional.of("namespace \"" + s.key().namespace() + "\" is not a DNS label");
        }
        if (!DNS_LABEL.matcher(nullToEmpty(s.key().name())).matches()) {
            return Optional.of("service name \"" + s.key().name() + "\" is not a DNS label");
        }
        if (!s.headless() && !isIPv4(s.clusterIP())) {
            return Optional.of("clusterIP \"" + s.clusterIP() + "\" is not an IPv4 address");
        }
        if (s.ports().isEmpty()) {
            return Optional.of("service has no ports");
        }
        if (s.ports().size() > MAX_PORTS) {
            return Optional.of(s.ports().size() + " ports, at most " + MAX_PORTS);
        }
        if (s.endpoints().size() > MAX_ENDPOINTS) {
            return Optional.of(s.endpoints().size() + " endpoints, at most " + MAX_ENDPOINTS);
        }
        Set<String> names = new HashSet<>();
        Set<String> portsSeen = new HashSet<>();
        Set<String> nodePortsSeen = new HashSet<>();
        for (ServicePort p : s.ports()) {
            if (p.protocol() == null) {
                return Optional.of("port \"" + p.name() + "\" has no protocol");
            }
            boolean unnamedSingle = s.ports().size() == 1 && "".equals(p.name());
            if (!unnamedSingle && !PORT_NAME.matcher(nullToEmpty(p.name())).matches()) {
                return Optional.of("port name \"" + p.name() + "\" is not a valid name (several ports must each be named)");
            }
            if (!names.add(p.name())) {
                return Optional.of("port name \"" + p.name() + "\" is used twice");
            }
            if (!validPort(p.port())) {
                return Optional.of("port " + p.port() + " is out of range 1-65535");
            }
            if (!portsSeen.add(p.port() + "/" + p.protocol())) {
                return Optional.of("port " + p.port() + "/" + p.protocol() + " is used twice");
            }
            if (p.nodePort() != 0 && (p.nodePort() < nodePortMin || p.nodePort() > nodePortMax)) {
                return Optional.of("nodePort " + p.nodePort() + " is out of range " + nodePortMin + "-" + nodePortMax);
            }
            if (p.nodePort() != 0 && !nodePortsSeen.add(p.nodePort() + "/" + p.protocol())) {
                return Optional.of("nodePort " + p.nodePort() + "/" + p.protocol() + " is used twice");
            }
        }
        Set<String> pods = new HashSet<>();
        for (Endpoint e : s.endpoints()) {
            if (!POD_NAME.matcher(nullToEmpty(e.pod())).matches()) {
                return Optional.of("endpoint pod name \"" + e.pod() + "\" is not valid");
            }
            if (!pods.add(e.pod())) {
                return Optional.of("endpoint pod \"" + e.pod() + "\" is listed twice");
            }
            if (!isIPv4(e.ip())) {
                return Optional.of("endpoint " + e.pod() + " has IP \"" + e.ip() + "\", not an IPv4 address");
            }
            for (var t : e.targetPorts().entrySet()) {
                if (!names.contains(t.getKey())) {
                    return Optional.of("endpoint " + e.pod() + " names port \"" + t.getKey() + "\" the service does not have");
                }
                if (!validPort(t.getValue())) {
                    return Optional.of("endpoint " + e.pod() + " target port " + t.getValue() + " is out of range 1-65535");
                }
            }
        }
        return Optional.empty();
    }

    static boolean validPort(int port) {
        return port >= 1 && port <= 65535;
    }

    /** Dotted-quad IPv4 without a DNS lookup (InetAddress.getByName would resolve names). */
    public static boolean isIPv4(String s) {
        if (s == null || s.length() > 15) {
            return false;
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
            if ((part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
