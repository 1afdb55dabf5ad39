package dev.berth.proxy.dns;

import dev.berth.proxy.core.Endpoint;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.ServicePort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The cluster DNS's answers, as Kubernetes' DNS specification (and CoreDNS's kubernetes plugin) gives them for
 * Services. Pure: one query's bytes and the Services the proxy holds in, the response's bytes out (empty: drop).
 * <ul>
 *   <li>{@code <svc>.<ns>.svc.<domain>} A: the cluster IP; a headless Service's ready endpoint IPs</li>
 *   <li>{@code _<port>._<proto>.<svc>.<ns>.svc.<domain>} SRV: the named port on the Service's name; the bare
 *       Service name's SRV lists every named port</li>
 *   <li>an existing name asked for another type (AAAA, TXT...): NOERROR, no answer, the zone's SOA (so a resolver
 *       asking A and AAAA together keeps the A)</li>
 *   <li>any other name in the domain: NXDOMAIN; a name outside it: REFUSED (no upstream here)</li>
 * </ul>
 * Bounded: queries over {@link #MAX_QUERY_BYTES} are dropped, answers capped at {@link #MAX_ANSWERS} records and
 * at the transport's size (UDP: 512 bytes, or the client's EDNS size up to {@link #MAX_UDP_BYTES}; over it TC is
 * set and the client retries over TCP).
 */
public final class ClusterDns {
    public static final int MAX_QUERY_BYTES = 512;
    public static final int MAX_ANSWERS = 64;
    public static final int MAX_UDP_BYTES = 1232;
    public static final int MAX_TCP_BYTES = 65535;
    /** CoreDNS's kubernetes plugin's default TTL: Services change, clients must not hold answers long. */
    public static final long TTL = 5;

    public enum Transport { UDP, TCP }

    private final Name domain;
    private final Name svcZone;
    private final SOARecord soa;

    public ClusterDns(String clusterDomain) {
        try {
            domain = Name.fromString(clusterDomain.toLowerCase(Locale.ROOT) + ".");
            svcZone = Name.fromString("svc", domain);
            soa = new SOARecord(domain, DClass.IN, TTL, Name.fromString("ns.dns", domain), Name.fromString("hostmaster", domain),
                    1, 7200, 1800, 86400, TTL);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad cluster domain " + clusterDomain, e);
        }
    }

    /** The response to {@code query}, or empty when it is no query (a response, unreadable, too long). */
    public Optional<byte[]> answer(byte[] query, Map<ServiceKey, ServiceEndpoints> services, Transport transport) {
        if (query.length > MAX_QUERY_BYTES || query.length < 12) return Optional.empty();
        Message q;
        try {
            q = new Message(query);
        } catch (IOException unreadable) {
            return formErr(query);
        }
        if (q.getHeader().getFlag(Flags.QR)) return Optional.empty(); // never answer an answer (no loops)
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        if (q.getHeader().getFlag(Flags.RD)) r.getHeader().setFlag(Flags.RD);
        OPTRecord opt = q.getOPT();
        int max = transport == Transport.TCP ? MAX_TCP_BYTES
                : opt == null ? 512 : Math.max(512, Math.min(MAX_UDP_BYTES, opt.getPayloadSize()));
        if (opt != null) r.addRecord(new OPTRecord(MAX_UDP_BYTES, 0, 0), Section.ADDITIONAL);
        if (q.getHeader().getOpcode() != Opcode.QUERY) return done(r, Rcode.NOTIMP, max);
        if (q.getSectionArray(Section.QUESTION).length != 1) return done(r, Rcode.FORMERR, max);
        Record question = q.getQuestion();
        r.addRecord(question, Section.QUESTION);
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) return done(r, Rcode.REFUSED, max);
        Name name = lowerCase(question.getName());
        if (!name.subdomain(domain)) return done(r, Rcode.REFUSED, max);
        r.getHeader().setFlag(Flags.AA);
        Lookup found = lookup(name, services);
        if (found == null) {
            r.addRecord(soa, Section.AUTHORITY);
            return done(r, Rcode.NXDOMAIN, max);
        }
        List<Record> answers = found.answers(question.getName(), question.getType());
        for (Record a : answers.subList(0, Math.min(MAX_ANSWERS, answers.size()))) r.addRecord(a, Section.ANSWER);
        if (answers.isEmpty()) r.addRecord(soa, Section.AUTHORITY);
        return done(r, Rcode.NOERROR, max);
    }

    /** What a name is: the zone's own names (no records of their own), a Service, one of its ports. Null: nothing. */
    private Lookup lookup(Name name, Map<ServiceKey, ServiceEndpoints> services) {
        if (name.equals(domain) || name.equals(svcZone)) return Lookup.EMPTY;
        if (!name.subdomain(svcZone)) return null; // pod.<domain> (pod A records) is not served
        String[] labels = relativeLabels(name, svcZone); // most specific first
        if (labels.length == 1) {
            String ns = labels[0];
            return services.keySet().stream().anyMatch(k -> k.namespace().equals(ns)) ? Lookup.EMPTY : null;
        }
        ServiceEndpoints s = services.get(new ServiceKey(labels[labels.length - 1], labels[labels.length - 2]));
        if (s == null) return null;
        Name serviceName = labels.length == 2 ? name : new Name(name, labels.length - 2); // <svc>.<ns>.svc.<domain>
        if (labels.length == 2) return new Lookup(s, null, serviceName);
        if (labels.length == 4 && labels[0].startsWith("_") && labels[1].startsWith("_")) {
            String portName = labels[0].substring(1);
            String proto = labels[1].substring(1).toUpperCase(Locale.ROOT);
            Optional<ServicePort> port = s.ports().stream()
                    .filter(p -> !p.name().isEmpty() && p.name().equals(portName) && p.protocol().name().equals(proto)).findFirst();
            return port.map(p -> new Lookup(s, p, serviceName)).orElse(null);
        }
        return null; // pod names under a headless Service (<hostname>.<svc>...) are not served
    }

    /** A found name: a Service (port null) or one of its ports. */
    private record Lookup(ServiceEndpoints service, ServicePort port, Name serviceName) {
        static final Lookup EMPTY = new Lookup(null, null, null);

        List<Record> answers(Name asked, int type) {
            List<Record> out = new ArrayList<>();
            if (service == null) return out;
            boolean any = type == Type.ANY;
            if (port == null && (type == Type.A || any)) {
                if (!service.headless()) {
                    out.add(new ARecord(asked, DClass.IN, TTL, ipv4(service.clusterIP())));
                } else {
                    service.endpoints().stream().filter(Endpoint::ready).map(Endpoint::ip).distinct().sorted().limit(MAX_ANSWERS)
                            .forEach(ip -> out.add(new ARecord(asked, DClass.IN, TTL, ipv4(ip))));
                }
            }
            if ((type == Type.SRV || any) && !service.headless()) {
                for (ServicePort p : service.ports()) {
                    if (port != null ? p.equals(port) : !p.name().isEmpty()) {
                        out.add(new SRVRecord(asked, DClass.IN, TTL, 0, 100, p.port(), serviceName));
                    }
                }
            }
            return out;
        }
    }

    private static Optional<byte[]> done(Message r, int rcode, int max) {
        r.getHeader().setRcode(rcode);
        return Optional.of(r.toWire(max)); // over max: truncated, TC set
    }

    /** A query dnsjava cannot read: FORMERR under its ID, if it has a header at all. */
    private static Optional<byte[]> formErr(byte[] query) {
        if ((query[2] & 0x80) != 0) return Optional.empty();
        Message r = new Message(((query[0] & 0xff) << 8) | (query[1] & 0xff));
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setRcode(Rcode.FORMERR);
        return Optional.of(r.toWire(512));
    }

    private static Name lowerCase(Name n) {
        try {
            return Name.fromString(n.toString().toLowerCase(Locale.ROOT));
        } catch (TextParseException e) {
            return n;
        }
    }

    /** The labels of {@code name} in front of {@code zone}, lower-cased, most specific first. */
    private static String[] relativeLabels(Name name, Name zone) {
        Name rel = name.relativize(zone);
        String[] out = new String[rel.labels()];
        for (int i = 0; i < out.length; i++) out[i] = rel.getLabelString(i).toLowerCase(Locale.ROOT);
        return out;
    }

    private static InetAddress ipv4(String ip) {
        String[] parts = ip.split("\\.");
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) b[i] = (byte) Integer.parseInt(parts[i]);
        try {
            return InetAddress.getByAddress(b); // literal bytes: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
