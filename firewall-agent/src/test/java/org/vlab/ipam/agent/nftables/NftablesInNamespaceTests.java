package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.nftables.NftRendererTests.port;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.agent.testing.GatewayLab;
import org.vlab.ipam.agent.testing.InNamespace;
import org.vlab.ipam.testsupport.NetnsTest;

/**
 * The renderer's text against the real nft in a gateway of network namespaces whose
 * administrator uses iptables-nft (FORWARD policy DROP, an ESTABLISHED accept, a DNAT of their
 * own): the kernel takes every transaction, {@code nft -j} reads back exactly what was rendered,
 * a deleted element is seen as drift and repaired, a TCP connection goes through the agent's
 * table to the lab host, and the administrator's rules are never touched.
 */
@NetnsTest
class NftablesInNamespaceTests {

    private GatewayLab gateway;
    private Nft nft;

    @BeforeEach
    void gateway() {
        gateway = GatewayLab.withoutBroker();
        nft = new Nft(new InNamespace(gateway.gatewayNamespace()));
    }

    @AfterEach
    void removeGateway() {
        gateway.close();
    }

    @Test
    void everyLogTargetAndRateReadsBackAsRenderedAndChangesKeepItSo() throws FirewallException {
        for (RuleOptions options : List.of(options(LogTarget.NFLOG, 5, 10, 20), options(LogTarget.NFLOG, 0, 1, 5),
                options(LogTarget.LOG, 0, 300, 5), options(LogTarget.NONE, 0, 10, 20),
                options(LogTarget.NFLOG, 65535, 10000, 1))) {
            NftablesFirewall firewall = new NftablesFirewall(nft, new NftRenderer(options));
            List<ForwardedPort> ports = ports(25);
            firewall.apply(firewall.read().scriptTo(ports));
            assertThat(firewall.read().holds(ports)).as("%s: %s", options, firewall.read().differenceFrom(ports)).isTrue();

            List<ForwardedPort> next = new ArrayList<>(ports.subList(1, 25));
            next.set(0, port(50001, "192.168.77.99", 8080));
            firewall.apply(firewall.changeScript(List.of(ports.get(0), ports.get(1)), List.of(next.get(0)),
                    ignored -> false));

            assertThat(firewall.read().holds(next)).as("%s: %s", options, firewall.read().differenceFrom(next)).isTrue();
            assertThat(firewall.read().forwardsNotIn(next)).isEmpty();
        }
    }

    @Test
    void aDeletedElementIsDriftAndTheFullTransactionRepairsIt() throws FirewallException {
        NftablesFirewall firewall = firewall();
        List<ForwardedPort> ports = ports(3);
        firewall.apply(firewall.read().scriptTo(ports));

        gateway.onGateway("nft", "delete", "element", "ip", NftRenderer.TABLE, NftRenderer.FORWARDS,
                "{ 50001 . 192.168.77.11 . 3389 }");

        assertThat(firewall.read().holds(ports)).isFalse();
        assertThat(firewall.read().differenceFrom(ports)).isEqualTo("forwards elements: 1 missing, 0 unexpected");
        firewall.apply(firewall.read().scriptTo(ports));
        assertThat(firewall.read().holds(ports)).isTrue();
    }

    @Test
    void aChangeWhoseElementIsGoneFailsWholeAndNamesItsLine() throws FirewallException {
        NftablesFirewall firewall = firewall();
        firewall.apply(firewall.read().scriptTo(ports(2)));
        gateway.onGateway("nft", "delete", "element", "ip", NftRenderer.TABLE, NftRenderer.DNAT_MAP, "{ 50001 }");

        var script = firewall.changeScript(List.of(ports(2).get(1)), List.of(port(50005, "192.168.77.20", 22)),
                ignored -> false);
        try {
            firewall.apply(script);
            throw new AssertionError("nft took the deletion of an element that is not there");
        } catch (FirewallException e) {
            assertThat(e.line()).hasValue(1);
            assertThat(script.mappingAt(1)).hasValue(ports(2).get(1).connPort());
        }
        assertThat(firewall.read().forwardsNotIn(ports(2))).isEmpty();
        assertThat(gateway.onGateway("nft", "list", "table", "ip", NftRenderer.TABLE)).doesNotContain("50005");
    }

    @Test
    void aConnectionGoesThroughTheTableToTheLabHostAlongsideTheAdministratorsIptablesRules() throws Exception {
        String administrators = administratorsRules();
        NftablesFirewall firewall = firewall();
        ForwardedPort ssh = port(50001, GatewayLab.LAB_HOST_ADDRESS, 22);
        gateway.startLabServer(22);
        firewall.apply(firewall.read().scriptTo(List.of(ssh)));

        assertThat(gateway.clientReachesLab(50001)).as("the DROP policy of iptables' FORWARD drops it").isFalse();
        gateway.acceptMarkedForwards();
        assertThat(gateway.clientReachesLab(50001)).as("with the host's mark accept").isTrue();

        firewall.apply(firewall.changeScript(List.of(ssh), List.of(), ignored -> false));
        assertThat(gateway.clientReachesLab(50001)).as("after removal").isFalse();

        firewall.apply(firewall.changeScript(List.of(), List.of(ssh), ignored -> false));
        gateway.onGateway("nft", "delete", "element", "ip", NftRenderer.TABLE, NftRenderer.DNAT_MAP, "{ 50001 }");
        assertThat(gateway.clientReachesLab(50001)).as("after drift").isFalse();
        firewall.apply(firewall.read().scriptTo(List.of(ssh)));
        assertThat(gateway.clientReachesLab(50001)).as("after the repair").isTrue();
        assertThat(administratorsRules().replace("-A FORWARD -m mark --mark 0x100000/0x100000 -m comment --comment "
                + "vlab-ipam-nft -j ACCEPT\n", "")).isEqualTo(administrators).contains("admin-established", "admin-dnat");
    }

    private String administratorsRules() {
        return gateway.iptablesSave().lines().filter(line -> line.startsWith("-A "))
                .reduce("", (all, line) -> all + line + "\n");
    }

    private NftablesFirewall firewall() {
        return new NftablesFirewall(nft, new NftRenderer(options(LogTarget.NFLOG, 5, 10, 20)));
    }

    private RuleOptions options(LogTarget target, int group, int rate, int burst) {
        return new RuleOptions(InterfaceName.of(gateway.wanInterface()), target, group, rate, burst);
    }

    private static List<ForwardedPort> ports(int count) {
        List<ForwardedPort> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(port(50000 + i, "192.168.77." + (10 + i % 200), i % 2 == 0 ? 22 : 3389));
        }
        return ports;
    }
}
