package dev.berth.proxy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.proxy.core.Endpoint;
import dev.berth.proxy.core.Protocol;
import dev.berth.proxy.core.ServiceEndpoints;
import dev.berth.proxy.core.ServiceKey;
import dev.berth.proxy.core.ServicePort;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ClusterDnsTest {
    private static final ClusterDns DNS = new ClusterDns("cluster.local");

    private static final Map<ServiceKey, ServiceEndpoints> SERVICES = services(
            new ServiceEndpoints("default", "web", "10.96.1.5",
                    List.of(new ServicePort("http", 80), new ServicePort("metrics", 9090),
                            new ServicePort("dns", Protocol.UDP, 5353, 0, null)),
                    List.of(new Endpoint("web-a", "10.244.0.2", Map.of("http", 8080), true))),
            new ServiceEndpoints("default", "plain", "10.96.1.6", List.of(new ServicePort("", 8080)), List.of()),
            new ServiceEndpoints("shop", "db", "None", List.of(new ServicePort("pg", 5432)),
                    List.of(new Endpoint("db-1", "10.244.1.5", Map.of("pg", 5432), true),
                            new Endpoint("db-2", "10.244.1.4", Map.of("pg", 5432), false),
                            new Endpoint("db-0", "10.244.1.3", Map.of("pg", 5432), true))),
            new ServiceEndpoints("shop", "web", "10.96.2.9", List.of(new ServicePort("http", 80)), List.of()));

    private static Map<ServiceKey, ServiceEndpoints> services(ServiceEndpoints... all) {
        Map<ServiceKey, ServiceEndpoints> m = new HashMap<>();
        for (ServiceEndpoints s : all) m.put(s.key(), s);
        return m;
    }

    private static byte[] query(String name, int type) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        return q.toWire();
    }

    private static Message ask(String name, int type) throws IOException {
        return new Message(DNS.answer(query(name, type), SERVICES, ClusterDns.Transport.UDP).orElseThrow());
    }

    private static List<String> addresses(Message m) {
        return Arrays.stream(m.getSectionArray(Section.ANSWER)).filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    @ParameterizedTest
    @CsvSource({
            "web.default.svc.cluster.local.,       10.96.1.5",
            "WEB.Default.SVC.cluster.LOCAL.,       10.96.1.5",
            "plain.default.svc.cluster.local.,     10.96.1.6",
            "web.shop.svc.cluster.local.,          10.96.2.9",
    })
    void aServiceNameAnswersItsClusterIp(String name, String ip) throws IOException {
        Message m = ask(name, Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
        assertThat(addresses(m)).containsExactly(ip);
        Record a = m.getSectionArray(Section.ANSWER)[0];
        assertThat(a.getName()).isEqualTo(Name.fromString(name)); // as asked, case kept
        assertThat(a.getTTL()).isEqualTo(ClusterDns.TTL);
        assertThat(m.getQuestion().getName()).isEqualTo(Name.fromString(name));
    }

    @Test
    void theResponseCarriesTheQueryIdAndRecursionDesired() throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, DClass.IN));
        q.getHeader().setFlag(Flags.RD);
        Message m = new Message(DNS.answer(q.toWire(), SERVICES, ClusterDns.Transport.UDP).orElseThrow());
        assertThat(m.getHeader().getID()).isEqualTo(q.getHeader().getID());
        assertThat(m.getHeader().getFlag(Flags.RD)).isTrue();
    }

    @Test
    void aHeadlessServiceAnswersItsReadyEndpointsSorted() throws IOException {
        Message m = ask("db.shop.svc.cluster.local.", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(addresses(m)).containsExactly("10.244.1.3", "10.244.1.5");
    }

    @Test
    void aHeadlessServiceWithNoReadyEndpointIsThereButEmpty() throws IOException {
        Map<ServiceKey, ServiceEndpoints> s = services(new ServiceEndpoints("shop", "db", "None", List.of(), List.of()));
        Message m = new Message(DNS.answer(query("db.shop.svc.cluster.local.", Type.A), s, ClusterDns.Transport.UDP).orElseThrow());
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSectionArray(Section.ANSWER)).isEmpty();
        assertThat(m.getSectionArray(Section.AUTHORITY)).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({
            "nope.default.svc.cluster.local.",
            "web.nowhere.svc.cluster.local.",
            "nowhere.svc.cluster.local.",
            "web.default.default.svc.cluster.local.", // "web.default" searched in default: the search list's miss
            "x.web.default.svc.cluster.local.",       // pod hostnames are not served
            "_http._udp.web.default.svc.cluster.local.",
            "_nope._tcp.web.default.svc.cluster.local.",
            "10-244-0-2.default.pod.cluster.local.",
            "web.default.cluster.local.",
    })
    void otherNamesInTheClusterDomainDoNotExist(String name) throws IOException {
        Message m = ask(name, Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSectionArray(Section.ANSWER)).isEmpty();
        assertThat(m.getSectionArray(Section.AUTHORITY)).hasSize(1).allMatch(r -> r.getType() == Type.SOA);
    }

    @ParameterizedTest
    @CsvSource({"example.com.", "web.", "web.default.", "local.", "cluster.local.example.com.", "5.1.96.10.in-addr.arpa."})
    void namesOutsideTheClusterDomainAreRefusedThereIsNoUpstream(String name) throws IOException {
        Message m = ask(name, Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(m.getSectionArray(Section.ANSWER)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"web.default.svc.cluster.local.", "cluster.local.", "svc.cluster.local.", "default.svc.cluster.local."})
    void existingNamesAskedForAnotherTypeHaveNoDataButExist(String name) throws IOException {
        Message m = ask(name, Type.AAAA);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSectionArray(Section.ANSWER)).isEmpty();
        assertThat(m.getSectionArray(Section.AUTHORITY)).hasSize(1).allMatch(r -> r.getType() == Type.SOA);
    }

    @Test
    void srvForANamedPortNamesTheServiceAndItsPort() throws IOException {
        Message m = ask("_http._tcp.web.default.svc.cluster.local.", Type.SRV);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        Record[] answers = m.getSectionArray(Section.ANSWER);
        assertThat(answers).hasSize(1);
        SRVRecord srv = (SRVRecord) answers[0];
        assertThat(srv.getPort()).isEqualTo(80);
        assertThat(srv.getTarget()).isEqualTo(Name.fromString("web.default.svc.cluster.local."));
        SRVRecord udp = (SRVRecord) ask("_dns._udp.web.default.svc.cluster.local.", Type.SRV).getSectionArray(Section.ANSWER)[0];
        assertThat(udp.getPort()).isEqualTo(5353);
    }

    @Test
    void srvForAServiceListsEveryNamedPort() throws IOException {
        List<Integer> ports = Arrays.stream(ask("web.default.svc.cluster.local.", Type.SRV).getSectionArray(Section.ANSWER))
                .map(r -> ((SRVRecord) r).getPort()).sorted().toList();
        assertThat(ports).containsExactly(80, 5353, 9090);
        assertThat(ask("plain.default.svc.cluster.local.", Type.SRV).getSectionArray(Section.ANSWER)).isEmpty(); // unnamed port
        assertThat(ask("_http._tcp.web.default.svc.cluster.local.", Type.A).getSectionArray(Section.ANSWER)).isEmpty();
    }

    @Test
    void manyEndpointsAreCappedAndTruncatedOverUdpButWholeOverTcp() throws IOException {
        List<Endpoint> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) many.add(new Endpoint("db-" + i, "10.244." + (i / 250) + "." + (i % 250 + 1), Map.of(), true));
        Map<ServiceKey, ServiceEndpoints> s = services(new ServiceEndpoints("shop", "db", "None", List.of(), many));
        byte[] q = query("db.shop.svc.cluster.local.", Type.A);
        byte[] udp = DNS.answer(q, s, ClusterDns.Transport.UDP).orElseThrow();
        assertThat(udp.length).isLessThanOrEqualTo(512);
        assertThat(new Message(udp).getHeader().getFlag(Flags.TC)).isTrue();
        Message tcp = new Message(DNS.answer(q, s, ClusterDns.Transport.TCP).orElseThrow());
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(addresses(tcp)).hasSize(ClusterDns.MAX_ANSWERS);
    }

    @Test
    void ednsRaisesTheUdpLimitUpToItsCapAndIsAnswered() throws IOException {
        List<Endpoint> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) many.add(new Endpoint("db-" + i, "10.244.0." + (i + 1), Map.of(), true));
        Map<ServiceKey, ServiceEndpoints> s = services(new ServiceEndpoints("shop", "db", "None", List.of(), many));
        Message q = Message.newQuery(Record.newRecord(Name.fromString("db.shop.svc.cluster.local."), Type.A, DClass.IN));
        q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        Message m = new Message(DNS.answer(q.toWire(), s, ClusterDns.Transport.UDP).orElseThrow());
        assertThat(m.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(addresses(m)).hasSize(40);
        assertThat(m.getOPT()).isNotNull();
        assertThat(m.getOPT().getPayloadSize()).isEqualTo(ClusterDns.MAX_UDP_BYTES);
    }

    @Test
    void responsesAndOversizedOrShortPacketsAreDropped() throws IOException {
        Message response = Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, DClass.IN));
        response.getHeader().setFlag(Flags.QR);
        assertThat(DNS.answer(response.toWire(), SERVICES, ClusterDns.Transport.UDP)).isEmpty();
        assertThat(DNS.answer(new byte[ClusterDns.MAX_QUERY_BYTES + 1], SERVICES, ClusterDns.Transport.UDP)).isEmpty();
        assertThat(DNS.answer(new byte[5], SERVICES, ClusterDns.Transport.UDP)).isEmpty();
    }

    @Test
    void garbageAfterAHeaderIsAFormatError() throws IOException {
        byte[] bad = new byte[20];
        bad[0] = 0x12;
        bad[1] = 0x34;
        bad[5] = 1; // one question, then nothing readable
        Arrays.fill(bad, 12, 20, (byte) 0xff);
        Message m = new Message(DNS.answer(bad, SERVICES, ClusterDns.Transport.UDP).orElseThrow());
        assertThat(m.getHeader().getID()).isEqualTo(0x1234);
        assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void otherOpcodesAreNotImplementedAndTwoQuestionsAreAFormatError() throws IOException {
        Message notify = Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, DClass.IN));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertThat(new Message(DNS.answer(notify.toWire(), SERVICES, ClusterDns.Transport.UDP).orElseThrow()).getRcode())
                .isEqualTo(Rcode.NOTIMP);
        Message two = Message.newQuery(Record.newRecord(Name.fromString("web.default.svc.cluster.local."), Type.A, DClass.IN));
        two.addRecord(Record.newRecord(Name.fromString("web.shop.svc.cluster.local."), Type.A, DClass.IN), Section.QUESTION);
        assertThat(new Message(DNS.answer(two.toWire(), SERVICES, ClusterDns.Transport.UDP).orElseThrow()).getRcode())
                .isEqualTo(Rcode.FORMERR);
    }

    @Test
    void anyAnswersTheAddressAndThePorts() throws IOException {
        Message m = ask("web.default.svc.cluster.local.", Type.ANY);
        assertThat(addresses(m)).containsExactly("10.96.1.5");
        assertThat(m.getSectionArray(Section.ANSWER)).hasSize(4);
    }

    @Test
    void anotherClusterDomainIsHonoured() throws IOException {
        ClusterDns other = new ClusterDns("berth.test");
        Message m = new Message(other.answer(query("web.default.svc.berth.test.", Type.A), SERVICES, ClusterDns.Transport.UDP).orElseThrow());
        assertThat(addresses(m)).containsExactly("10.96.1.5");
        Message refused = new Message(other.answer(query("web.default.svc.cluster.local.", Type.A), SERVICES, ClusterDns.Transport.UDP).orElseThrow());
        assertThat(refused.getRcode()).isEqualTo(Rcode.REFUSED);
    }
}
