package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.nftables.NftRendererTests.port;

import java.util.List;
import java.util.function.Predicate;
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
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.testsupport.NetnsTest;

/**
 * Mappings share a log chain per block of 32 connection ports, and a closed mapping's log rule
 * stays (nft deletes a rule by handle only): on the real kernel, the table still reads as the
 * wanted mappings, a port opened again gets no second rule, an agent learns what the blocks
 * hold by reading the table, and a full rewrite leaves only the wanted mappings' rules.
 */
@NetnsTest
class NftLogBlocksInNamespaceTests {

    /** Three mappings in block 49984–50015, one in block 50048–50079. */
    private static final List<ForwardedPort> HELD = List.of(port(50001, "192.168.77.10", 22),
            port(50002, "192.168.77.11", 22), port(50003, "192.168.77.12", 3389), port(50050, "192.168.77.13", 22));
    /** nftables' changes go by what the blocks hold, not by what the sync says was held. */
    private static final Predicate<ConnPort> ANY = port -> true;

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
    void closedMappingsLeaveTheirLogRulesWhichAreNotDriftAndAPortOpenedAgainGetsNoSecondOne()
            throws FirewallException {
        NftablesFirewall firewall = firewall();
        firewall.apply(firewall.read().scriptTo(HELD));

        ForwardedPort moved = port(50002, "192.168.77.99", 8080);
        firewall.applyChanges(firewall.changeScript(List.of(HELD.get(1), HELD.get(3)), List.of(moved), ANY));

        List<ForwardedPort> now = List.of(HELD.get(0), moved, HELD.get(2));
        assertThat(firewall.read().differenceFrom(now)).isEqualTo("none");
        assertThat(firewall.read().forwardsNotIn(now)).isEmpty();
        assertThat(table()).contains("logs_50048", "VLABFWD:50050").doesNotContain("50050 comment");

        firewall.applyChanges(firewall.changeScript(List.of(), List.of(HELD.get(3)), ANY));
        assertThat(firewall.read().differenceFrom(List.of(HELD.get(0), moved, HELD.get(2), HELD.get(3))))
                .isEqualTo("none");
        assertThat(logRulesOf(50050)).as("log rules for 50050").isOne();
        assertThat(logRulesOf(50002)).as("log rules for 50002").isOne();
    }

    @Test
    void aPortClosedAsTcpAndOpenedAsUdpInANewBlockIsLoggedForUdpAndTheTableIsAsWanted() throws FirewallException {
        NftablesFirewall firewall = firewall();
        firewall.apply(firewall.read().scriptTo(HELD.subList(0, 1)));
        ForwardedPort tcp = port(50100, "192.168.77.14", 22);
        ForwardedPort udp = new ForwardedPort(tcp.connPort(), tcp.address(), TargetPort.of(53), Protocol.UDP,
                AllowedSources.ANY);

        firewall.applyChanges(firewall.changeScript(List.of(), List.of(tcp), ANY));
        firewall.applyChanges(firewall.changeScript(List.of(tcp), List.of(), ANY));
        firewall.applyChanges(firewall.changeScript(List.of(), List.of(udp), ANY));

        List<ForwardedPort> now = List.of(HELD.get(0), udp);
        assertThat(firewall.read().differenceFrom(now)).isEqualTo("none");
        assertThat(table()).contains("meta l4proto udp ct original proto-dst 50100 ")
                .contains("meta l4proto tcp ct original proto-dst 50100 ");
        assertThat(table().split("jump logs_50080", -1)).as("one element for block 50080").hasSize(2);
    }

    @Test
    void anAgentThatDidNotWriteTheTableLearnsItsLogRulesByReadingIt() throws FirewallException {
        NftablesFirewall first = firewall();
        first.apply(first.read().scriptTo(HELD));
        first.applyChanges(first.changeScript(List.of(HELD.get(0)), List.of(), ANY));
        NftablesFirewall restarted = firewall();
        restarted.read();

        restarted.applyChanges(restarted.changeScript(List.of(), List.of(HELD.get(0)), ANY));

        assertThat(restarted.read().differenceFrom(HELD)).isEqualTo("none");
        assertThat(logRulesOf(50001)).as("log rules for 50001").isOne();
    }

    @Test
    void aFullRewriteLeavesOnlyTheWantedMappingsLogRulesAndAHandEditedOneIsDrift() throws FirewallException {
        NftablesFirewall firewall = firewall();
        firewall.apply(firewall.read().scriptTo(HELD));
        firewall.applyChanges(firewall.changeScript(List.of(HELD.get(3)), List.of(), ANY));

        firewall.apply(firewall.read().scriptTo(HELD.subList(0, 3)));

        assertThat(table()).doesNotContain("50050");
        gateway.onGateway("nft", "flush", "chain", "ip", NftRenderer.TABLE, NftLogBlocks.logChain(49984));
        assertThat(firewall.read().differenceFrom(HELD.subList(0, 3))).isEqualTo("rules: 3 missing, 0 unexpected; "
                + "4 rules, wanted 7");
    }

    /** How many log rules the table holds for {@code port}, whatever their protocol. */
    private int logRulesOf(int port) {
        return table().split("VLABFWD:" + port + "\"", -1).length - 1;
    }

    private String table() {
        return gateway.onGateway("nft", "list", "table", "ip", NftRenderer.TABLE);
    }

    private NftablesFirewall firewall() {
        return new NftablesFirewall(nft, new NftRenderer(new RuleOptions(InterfaceName.of(gateway.wanInterface()),
                LogTarget.NFLOG, 5, 10, 20)));
    }
}
