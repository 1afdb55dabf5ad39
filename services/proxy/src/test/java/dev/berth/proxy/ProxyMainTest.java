package dev.berth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxyMainTest {
    @Test
    void defaultsServeNodeOneOnLoopbackWithTheClusterIPInterface() {
        ProxyMain.Invocation run = ProxyMain.parse(new String[0], null);
        assertThat(run.bootstrap()).isNull();
        assertThat(run.options().nodeName()).isEqualTo("node-1");
        assertThat(run.options().nodeAddress()).isEqualTo("127.0.0.1");
        assertThat(run.options().dummyInterface()).isEqualTo(ProxyOptions.DEFAULT_INTERFACE);
        assertThat(run.options().metricsInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ProxyMain.parse(new String[0], "node-7").options().nodeName()).isEqualTo("node-7");
    }

    @Test
    void optionsAndTheBrokerAddress() {
        ProxyMain.Invocation run = ProxyMain.parse(new String[] {"--node", "node-2", "--address", "127.0.0.2", "--interface", "none",
                "--metrics-seconds", "2", "127.0.0.1:19092"}, "node-7");
        assertThat(run.bootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(run.options().nodeName()).isEqualTo("node-2");
        assertThat(run.options().nodeAddress()).isEqualTo("127.0.0.2");
        assertThat(run.options().dummyInterface()).isNull();
        assertThat(run.options().metricsInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void noClusterIPsMeansNodePortsOnlyAndNoInterface() {
        ProxyOptions o = ProxyMain.parse(new String[] {"--node", "node-2", "--address", "127.0.0.2", "--no-cluster-ips"}, null).options();
        assertThat(o.serveClusterIPs()).isFalse();
        assertThat(o.dummyInterface()).isNull();
        assertThatThrownBy(() -> ProxyMain.parse(new String[] {"--no-cluster-ips", "--interface", "berth-svc1"}, null))
                .hasMessageContaining("needs no cluster-IP interface");
    }

    @Test
    void badArgumentsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> ProxyMain.parse(new String[] {"--port", "1"}, null)).hasMessage("unknown option --port");
        assertThatThrownBy(() -> ProxyMain.parse(new String[] {"--node"}, null)).hasMessage("--node needs a value");
        assertThatThrownBy(() -> ProxyMain.parse(new String[] {"--node", "Node_1"}, null)).hasMessageContaining("nodeName");
        assertThatThrownBy(() -> ProxyMain.parse(new String[] {"--address", "localhost"}, null)).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> ProxyMain.parse(new String[] {"--interface", "eth0"}, null)).hasMessageContaining("berth");
        assertThatThrownBy(() -> ProxyMain.parse(new String[] {"--metrics-seconds", "0"}, null)).hasMessageContaining("metricsInterval");
        assertThatThrownBy(() -> ProxyMain.parse(new String[] {"a:1", "b:2"}, null)).hasMessageContaining("one broker address");
    }
}
