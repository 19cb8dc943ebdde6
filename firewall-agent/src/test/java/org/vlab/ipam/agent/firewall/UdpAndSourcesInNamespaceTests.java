package org.vlab.ipam.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vlab.ipam.agent.nftables.Nft;
import org.vlab.ipam.agent.nftables.NftRenderer;
import org.vlab.ipam.agent.nftables.NftablesFirewall;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.agent.testing.GatewayLab;
import org.vlab.ipam.agent.testing.InNamespace;
import org.vlab.ipam.agent.testing.TcpSession;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.testsupport.NetnsTest;

/**
 * udp mappings and mappings limited to source networks, with real packets through a gateway of
 * network namespaces (FORWARD policy DROP, an ESTABLISHED accept of the administrator's), on
 * both backends: the kernel takes the transactions, reads back as written (no false drift, the
 * forwardings with their protocol and sources), a udp echo goes through, a source outside the
 * allowed networks is not forwarded while an allowed one is, udp mappings opened by changes
 * into a table of tcp mappings go through, and removing a udp mapping ends its ongoing flow once its conntrack entries are
 * deleted.
 */
@NetnsTest
class UdpAndSourcesInNamespaceTests {

    private static final int ECHO_PORT = 5353;
    private GatewayLab gateway;

    @BeforeEach
    void gateway() {
        gateway = GatewayLab.withoutBroker();
    }

    @AfterEach
    void removeGateway() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iptables", "nft"})
    void aUdpEchoGoesThroughAndRemovingTheMappingEndsItsOngoingFlow(String backend) throws FirewallException {
        Firewall firewall = firewall(backend);
        ForwardedPort dns = mapping(50001, Protocol.UDP);
        gateway.startLabUdpServer(ECHO_PORT);
        firewall.apply(firewall.read().scriptTo(List.of(dns)));

        assertThat(firewall.read().holds(List.of(dns))).as(firewall.read().differenceFrom(List.of(dns))).isTrue();
        assertThat(firewall.read().forwardsNotIn(List.of(dns))).isEmpty();
        assertThat(gateway.clientReachesLab("udp", 50001, GatewayLab.CLIENT_ADDRESS)).isTrue();
        assertThat(gateway.clientReachesLab("tcp", 50001, GatewayLab.CLIENT_ADDRESS)).as("tcp is not mapped").isFalse();
        TcpSession flow = gateway.openUdpFlow(50001);
        assertThat(flow.echoes(Duration.ofSeconds(5))).isTrue();

        List<ForwardedPort> closed = firewall.read().forwardsNotIn(List.of());
        assertThat(closed).containsExactly(dns);
        firewall.apply(firewall.changeScript(closed, List.of(), port -> port.equals(dns.connPort())));
        assertThat(flow.echoes(Duration.ofSeconds(1))).as("the flow's conntrack entry still DNATs it").isTrue();
        int deleted = new Conntrack(new InNamespace(gateway.gatewayNamespace()), new SimpleMeterRegistry())
                .closeSessions(closed);

        assertThat(deleted).isPositive();
        assertThat(flow.echoes(Duration.ofSeconds(2))).isFalse();
        assertThat(firewall.read().holds(List.of())).as(firewall.read().differenceFrom(List.of())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iptables", "nft"})
    void udpMappingsOpenedByChangesIntoATcpOnlyTableGoThrough(String backend) throws FirewallException {
        Firewall firewall = firewall(backend);
        ForwardedPort ssh = limited(50002, Protocol.TCP, 22);
        ForwardedPort dns = mapping(50001, Protocol.UDP);
        ForwardedPort second = mapping(50040, Protocol.UDP);
        gateway.startLabServer(22);
        gateway.startLabUdpServer(ECHO_PORT);
        firewall.apply(firewall.read().scriptTo(List.of(ssh)));

        RestoreScript first = firewall.changeScript(List.of(), List.of(dns), ssh.connPort()::equals);
        firewall.applyChanges(first);
        RestoreScript next = firewall.changeScript(List.of(), List.of(second), List.of(ssh.connPort(),
                dns.connPort())::contains);
        firewall.applyChanges(next);

        if (backend.equals("nft")) {
            // the first writes the udp structures the tcp-only table lacked; the next knows they are there
            assertThat(first.text()).contains("flush chain ip vlab_ipam prerouting_ext");
            assertThat(next.text()).doesNotContain("flush", "dnat_chains", "prerouting_ext");
        }
        List<ForwardedPort> all = List.of(ssh, dns, second);
        assertThat(firewall.read().holds(all)).as(firewall.read().differenceFrom(all)).isTrue();
        assertThat(gateway.clientReachesLab("udp", 50001, GatewayLab.CLIENT_ADDRESS)).isTrue();
        assertThat(gateway.clientReachesLab("udp", 50040, GatewayLab.CLIENT_ADDRESS)).isTrue();
        assertThat(gateway.clientReachesLab("tcp", 50002, GatewayLab.CLIENT_ADDRESS)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iptables", "nft"})
    void onlyAnAllowedSourceIsForwardedOverTcpAndUdp(String backend) throws FirewallException {
        Firewall firewall = firewall(backend);
        gateway.addOtherClientAddress();
        gateway.startLabServer(22);
        gateway.startLabUdpServer(ECHO_PORT);
        ForwardedPort ssh = limited(50002, Protocol.TCP, 22, GatewayLab.CLIENT_ADDRESS + "/32");
        ForwardedPort dns = limited(50003, Protocol.UDP, ECHO_PORT, "10.0.0.0/8", GatewayLab.CLIENT_ADDRESS + "/32");
        List<ForwardedPort> wanted = List.of(ssh, dns);
        firewall.apply(firewall.read().scriptTo(wanted));

        assertThat(firewall.read().holds(wanted)).as(firewall.read().differenceFrom(wanted)).isTrue();
        assertThat(firewall.read().forwardsNotIn(wanted)).isEmpty();
        assertThat(gateway.clientReachesLab("tcp", 50002, GatewayLab.CLIENT_ADDRESS)).isTrue();
        assertThat(gateway.clientReachesLab("udp", 50003, GatewayLab.CLIENT_ADDRESS)).isTrue();
        assertThat(gateway.clientReachesLab("tcp", 50002, GatewayLab.OTHER_CLIENT_ADDRESS)).isFalse();
        assertThat(gateway.clientReachesLab("udp", 50003, GatewayLab.OTHER_CLIENT_ADDRESS)).isFalse();

        ForwardedPort moved = limited(50002, Protocol.TCP, 22, GatewayLab.OTHER_CLIENT_ADDRESS + "/32");
        firewall.apply(firewall.changeScript(firewall.read().forwardsNotIn(List.of(moved, dns)), List.of(moved),
                wanted.stream().map(ForwardedPort::connPort).toList()::contains));

        assertThat(firewall.read().holds(List.of(moved, dns))).isTrue();
        assertThat(gateway.clientReachesLab("tcp", 50002, GatewayLab.OTHER_CLIENT_ADDRESS)).isTrue();
        assertThat(gateway.clientReachesLab("tcp", 50002, GatewayLab.CLIENT_ADDRESS)).isFalse();
    }

    private Firewall firewall(String backend) {
        RuleOptions options = new RuleOptions(InterfaceName.of(gateway.wanInterface()), LogTarget.NFLOG, 5, 10, 20);
        InNamespace runner = new InNamespace(gateway.gatewayNamespace());
        if (backend.equals("nft")) {
            gateway.acceptMarkedForwards();
            return new NftablesFirewall(new Nft(runner), new NftRenderer(options));
        }
        return new IptablesFirewall(new Iptables(runner, IptablesVariant.DEFAULT), new RuleBuilder(options));
    }

    private static ForwardedPort mapping(int connPort, Protocol protocol) {
        return limited(connPort, protocol, ECHO_PORT);
    }

    private static ForwardedPort limited(int connPort, Protocol protocol, int targetPort, String... sources) {
        return new ForwardedPort(ConnPort.of(connPort), LabAddress.of(GatewayLab.LAB_HOST_ADDRESS),
                TargetPort.of(targetPort), protocol, AllowedSources.of(List.of(sources)));
    }
}
