package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.Limits;
import dev.berth.bus.contract.EndpointTraffic;
import dev.berth.proxy.core.Endpoint;
import dev.berth.proxy.core.EndpointAddress;
import dev.berth.proxy.core.ServiceEndpoints;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Service's counters split per endpoint pod, as the proxy reports them for the autoscaler. */
class ServiceCountersTest {

    private static CounterSnapshot c(long total, long active, long requests) {
        return new CounterSnapshot(total, active, 0, 0, requests, 0, 0);
    }

    @Test
    void countersOfEachEndpointAreNamedByItsPodAndItsPortsAddUp() {
        Map<EndpointAddress, CounterSnapshot> snapshots = new HashMap<>();
        snapshots.put(new EndpointAddress("10.0.0.2", 8080), c(5, 1, 40));
        snapshots.put(new EndpointAddress("10.0.0.2", 9090), c(2, 1, 0));  // the same pod's second port
        snapshots.put(new EndpointAddress("10.0.0.1", 8080), c(3, 0, 12));
        snapshots.put(new EndpointAddress("10.0.0.9", 8080), c(9, 0, 9));  // drained away: not in the table
        List<EndpointTraffic> t = ServiceCounters.endpointTraffic(Map.of("10.0.0.1", "web-a", "10.0.0.2", "web-b"), snapshots);
        assertThat(t).containsExactly(new EndpointTraffic("web-a", "10.0.0.1", 3, 0, 12), new EndpointTraffic("web-b", "10.0.0.2", 7, 2, 40));
    }

    @Test
    void anInFlightConnectRacingItsFailureNeverMakesActiveNegative() {
        List<EndpointTraffic> t = ServiceCounters.endpointTraffic(Map.of("10.0.0.1", "web-a"),
                Map.of(new EndpointAddress("10.0.0.1", 80), c(1, -1, 0)));
        assertThat(t).containsExactly(new EndpointTraffic("web-a", "10.0.0.1", 1, 0, 0));
    }

    @Test
    void atMostTheContractsBoundSortedByPod() {
        Map<EndpointAddress, CounterSnapshot> snapshots = new HashMap<>();
        Map<String, String> pods = new HashMap<>();
        for (int i = 0; i < Limits.ENDPOINTS_MAX_ITEMS + 3; i++) {
            String ip = "10.1." + (i / 250) + "." + (i % 250);
            snapshots.put(new EndpointAddress(ip, 80), c(1, 0, 1));
            pods.put(ip, String.format("p-%05d", i));
        }
        List<EndpointTraffic> t = ServiceCounters.endpointTraffic(pods, snapshots);
        assertThat(t).hasSize(Limits.ENDPOINTS_MAX_ITEMS);
        assertThat(t).extracting(EndpointTraffic::pod).isSorted();
    }

    @Test
    void theLiveCountersOfAServiceAreReadThroughItsTable() {
        ServiceCounters counters = new ServiceCounters();
        Counters e = counters.endpoint(new EndpointAddress("10.0.0.1", 8080));
        e.total.increment();
        e.requests.add(3);
        ServiceEndpoints service = new ServiceEndpoints("default", "web", "10.96.0.1", List.of(),
                List.of(new Endpoint("web-a", "10.0.0.1", Map.of("", 8080), true)));
        assertThat(counters.endpointTraffic(service)).containsExactly(new EndpointTraffic("web-a", "10.0.0.1", 1, 0, 3));
    }
}
