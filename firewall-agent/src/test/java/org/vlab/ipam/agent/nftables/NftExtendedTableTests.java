package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vlab.ipam.agent.nftables.NftProtocolAndSourcesTests.DNS;
import static org.vlab.ipam.agent.nftables.NftProtocolAndSourcesTests.LIMITED;
import static org.vlab.ipam.agent.nftables.NftProtocolAndSourcesTests.LIMITED_UDP;
import static org.vlab.ipam.agent.nftables.NftProtocolAndSourcesTests.SSH;
import static org.vlab.ipam.agent.nftables.NftProtocolAndSourcesTests.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.Protocol;

/**
 * What {@code nft -j} printed (nft 1.0.6) for the renderer's table with a udp mapping for every
 * source (elements of their own map), two source-limited ones and a plain tcp one: read back as
 * the forwardings written, with protocol and sources, and every hand edit of them seen as drift
 * whose old forwarding gets closed.
 */
class NftExtendedTableTests {

    private static final List<ForwardedPort> FOUR = List.of(DNS, LIMITED, LIMITED_UDP, SSH);
    private final NftRenderer renderer = new NftRenderer(new RuleOptions(InterfaceName.of("wan0"), LogTarget.NFLOG, 5,
            10, 20));

    @Test
    void theListingReadsBackAsTheWrittenForwardingsWithProtocolAndSources() throws Exception {
        NftTable table = NftTable.parse(listing());
        Firewall.KernelState state = stateOf(listing());

        assertThat(table.dnat()).containsExactlyInAnyOrderElementsOf(FOUR);
        assertThat(table.logRules()).contains(new NftLogRule(DNS.connPort(), Protocol.UDP),
                new NftLogRule(SSH.connPort(), Protocol.TCP)).hasSize(4);
        assertThat(table.chains()).contains("prerouting_ext nat prerouting -101", "forward_udp filter forward -1",
                "mapped_udp", "dnat_50002", "dnat_50003").doesNotContain("dnat_50001");
        assertThat(state.differenceFrom(FOUR)).isEqualTo("none");
        assertThat(state.forwardsNotIn(FOUR)).isEmpty();
    }

    @Test
    void aSourceEditedByHandIsDriftAndTheKernelsForwardingIsClosed() throws Exception {
        Firewall.KernelState state = stateOf(listing().replace("\"right\": \"198.51.100.7\"", "\"right\": \"198.51.100.8\""));
        ForwardedPort edited = mapping(50002, "192.168.1.11", 22, Protocol.TCP, "203.0.113.0/24", "198.51.100.8/32");

        assertThat(state.holds(FOUR)).isFalse();
        assertThat(state.differenceFrom(FOUR)).isEqualTo("dnat_chains elements: 1 missing, 1 unexpected");
        assertThat(state.forwardsNotIn(FOUR)).containsExactly(edited);
    }

    @Test
    void aProtocolOrUdpTargetChangedByHandOrAMissingUdpAcceptIsDrift() throws Exception {
        String tcpLimited = listing().replace("\"concat\": [\"udp\", 50003]", "\"concat\": [\"tcp\", 50003]");
        String retargeted = listing().replace("{\"concat\": [\"192.168.1.10\", 53]}", "{\"concat\": [\"192.168.1.10\", 54]}");
        String noUdpAccept = listing().replace("{\"elem\": {\"val\": {\"concat\": [50001, \"192.168.1.10\", 53]}, "
                + "\"comment\": \"vlab-ipam:50001\"}}, ", "");

        assertThat(stateOf(tcpLimited).holds(FOUR)).isFalse();
        assertThat(stateOf(tcpLimited).forwardsNotIn(FOUR)).isEmpty();
        assertThat(stateOf(retargeted).differenceFrom(FOUR))
                .isEqualTo("udp_dnat_targets elements: 1 missing, 1 unexpected");
        assertThat(stateOf(retargeted).forwardsNotIn(FOUR)).containsExactly(mapping(50001, "192.168.1.10", 54, Protocol.UDP));
        assertThat(stateOf(noUdpAccept).differenceFrom(FOUR)).isEqualTo("udp_forwards elements: 1 missing, 0 unexpected");
    }

    @Test
    void aDnatDifferenceNamesTheMapItsElementIsIn() throws Exception {
        String tcpRetargeted = listing().replace("{\"concat\": [\"192.168.1.13\", 22]}",
                "{\"concat\": [\"192.168.1.13\", 23]}");
        String udpRetargeted = listing().replace("{\"concat\": [\"192.168.1.10\", 53]}",
                "{\"concat\": [\"192.168.1.10\", 54]}");

        assertThat(stateOf(tcpRetargeted).differenceFrom(FOUR))
                .isEqualTo("dnat_targets elements: 1 missing, 1 unexpected");
        assertThat(stateOf(udpRetargeted).differenceFrom(FOUR))
                .isEqualTo("udp_dnat_targets elements: 1 missing, 1 unexpected");
    }

    @Test
    void aDnatRuleTheAgentDoesNotWriteIsDrift() throws Exception {
        String accepting = listing().replace("{\"dnat\": {\"addr\": \"192.168.1.12\", \"port\": 5353}}",
                "{\"accept\": null}");

        assertThat(stateOf(accepting).holds(FOUR)).isFalse();
        assertThat(stateOf(accepting).differenceFrom(FOUR)).contains("unexpected");
    }

    @Test
    void mappingsNoLongerWantedAreDriftAndClosedWhileTheirEmptiedStructuresWouldBeKept() throws Exception {
        Firewall.KernelState state = stateOf(listing());

        assertThat(state.holds(List.of(SSH))).isFalse();
        assertThat(state.forwardsNotIn(List.of(SSH))).containsExactlyInAnyOrder(DNS, LIMITED, LIMITED_UDP);
        assertThat(NftSignatures.of(renderer.options(), List.of(SSH), true).chains()).contains("prerouting_ext nat "
                + "prerouting -101").doesNotContain("dnat_50001");
    }

    @Test
    void hostileValuesInTheListingAreDriftNotForwardingsAndNeverAnException() throws Exception {
        String everyone = listing().replace("{\"prefix\": {\"addr\": \"203.0.113.0\", \"len\": 24}}",
                "{\"prefix\": {\"addr\": \"0.0.0.0\", \"len\": 0}}");
        String injected = listing().replace("\"right\": \"198.51.100.7\"", "\"right\": \"198.51.100.7 accept\"");

        for (String listing : List.of(everyone, injected)) {
            Firewall.KernelState state = stateOf(listing);
            assertThat(state.holds(FOUR)).isFalse();
            assertThat(state.differenceFrom(FOUR)).contains("dnat_chains elements: 1 missing, 0 unexpected");
            assertThat(state.forwardsNotIn(FOUR)).isEmpty();
        }
    }

    @Test
    void aChangeAfterAReadOfTheStructuresOpensAUdpMappingWithoutWritingThemAgainUnlessOneIsMissing()
            throws Exception {
        ForwardedPort ntp = mapping(50005, "192.168.1.14", 123, Protocol.UDP);
        NftablesFirewall holding = firewallPrinting(listing());
        // the udp lookup's rule replaced by hand
        NftablesFirewall lacking = firewallPrinting(listing().replace("{\"dnat\": {\"family\": \"ip\", \"addr\": {\"map\": "
                + "{\"key\": {\"payload\": {\"protocol\": \"udp\", \"field\": \"dport\"}}, \"data\": \"@udp_dnat_targets\"}}}}",
                "{\"accept\": null}"));
        holding.read();
        lacking.read();

        assertThat(holding.changeScript(List.of(), List.of(ntp), port -> false).text())
                .doesNotContain("flush", "add map", "chain");
        assertThat(lacking.changeScript(List.of(), List.of(ntp), port -> false).text())
                .contains("flush chain ip vlab_ipam prerouting_ext", "add element ip vlab_ipam udp_dnat_targets");
    }

    @Test
    void aFailedTransactionMakesTheNextChangeWriteTheStructuresAgain() throws Exception {
        ForwardedPort ntp = mapping(50005, "192.168.1.14", 123, Protocol.UDP);
        NftablesFirewall firewall = new NftablesFirewall(new Nft((command, stdin, timeout) -> command.contains("-j")
                ? new CommandRunner.Completed(0, listing(), "")
                : new CommandRunner.Completed(1, "", "Error: Could not process rule: Device or resource busy")), renderer);
        firewall.read();
        RestoreScript withoutStructures = firewall.changeScript(List.of(), List.of(ntp), port -> false);

        assertThatThrownBy(() -> firewall.applyChanges(withoutStructures)).isInstanceOf(FirewallException.class);

        assertThat(withoutStructures.text()).doesNotContain("flush");
        assertThat(firewall.changeScript(List.of(), List.of(ntp), port -> false).text())
                .contains("flush chain ip vlab_ipam prerouting_ext");
    }

    @Test
    void aUdpMappingWrittenWithItsOwnDnatChainBefore2026_12_07IsRewrittenWithoutClosingItsSessions() throws Exception {
        Firewall.KernelState state = stateOf(Files.readString(Path.of("src", "test", "resources", "nft",
                "udp-mapping-before-2026-12-07.json")));

        assertThat(state.holds(List.of(DNS))).as("the full sync after the upgrade writes the table anew").isFalse();
        assertThat(state.differenceFrom(List.of(DNS))).contains("chains: 0 missing, 1 unexpected");
        assertThat(state.forwardsNotIn(List.of(DNS))).as("the same forwarding: its flows go on").isEmpty();
    }

    private Firewall.KernelState stateOf(String listing) throws FirewallException {
        return firewallPrinting(listing).read();
    }

    private NftablesFirewall firewallPrinting(String listing) {
        return new NftablesFirewall(new Nft((command, stdin, timeout) -> new CommandRunner.Completed(0, listing, "")),
                renderer);
    }

    private static String listing() throws IOException {
        return Files.readString(Path.of("src", "test", "resources", "nft", "udp-and-limited-mappings.json"));
    }
}
