package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.Golden;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;

/** udp mappings and mappings limited to source networks as nft text, compared with reviewed golden files. */
class NftProtocolAndSourcesTests {

    private static final RuleOptions NFLOG = new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20);
    static final ForwardedPort DNS = mapping(50001, "192.168.1.10", 53, Protocol.UDP);
    static final ForwardedPort LIMITED = mapping(50002, "192.168.1.11", 22, Protocol.TCP, "203.0.113.0/24",
            "198.51.100.7/32");
    static final ForwardedPort LIMITED_UDP = mapping(50003, "192.168.1.12", 5353, Protocol.UDP, "10.9.0.0/16");
    static final ForwardedPort SSH = NftRendererTests.port(50004, "192.168.1.13", 22);
    private final NftRenderer renderer = new NftRenderer(NFLOG);

    @Test
    void aUdpMappingForEverySourceIsAUdpDnatElementAndAUdpAcceptElementWithTheSharedLogChainMap() {
        Golden.assertMatches("nft-udp.nft", renderer.fullScript(List.of(DNS)).text());
    }

    @Test
    void aLimitedMappingsDnatChainHasOneRulePerSourceNetworkBesideAPlainTcpMapping() {
        RestoreScript script = renderer.fullScript(List.of(SSH, LIMITED_UDP, LIMITED, DNS));

        Golden.assertMatches("nft-allowed-sources.nft", script.text());
        assertThat(script.text()).contains("add rule ip vlab_ipam dnat_50002 meta l4proto tcp ip saddr 198.51.100.7/32"
                + " dnat to 192.168.1.11:22 comment \"vlab-ipam:50002\"");
        List<String> lines = script.text().lines().toList();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.contains(" dnat_5") || line.contains(" log_5")) {
                ConnPort port = script.mappingAt(number).orElseThrow();
                assertThat(line).as(line).contains("_" + port.value());
                if (line.startsWith("add rule") || line.startsWith("add element")) {
                    assertThat(line).as(line).contains("comment \"vlab-ipam:" + port.value() + "\"");
                }
            }
        }
    }

    @Test
    void onlyTcpMappingsForEverySourceLeaveTheTableAsItWas() {
        assertThat(renderer.fullScript(List.of(NftRendererTests.port(50001, "192.168.1.10", 22))).text())
                .doesNotContain(NftExtendedMappings.DNAT_CHAINS, NftExtendedMappings.UDP_FORWARDS, "udp");
    }

    @Test
    void aChangeOpeningAUdpOrLimitedMappingWritesTheStructuresAgainFlushedAndClosingDeletesTheChainOrElements() {
        ForwardedPort narrowed = mapping(50002, "192.168.1.11", 22, Protocol.TCP, "203.0.113.0/24");

        Set<NftLogRule> logged = Set.of(new NftLogRule(DNS.connPort(), Protocol.UDP),
                new NftLogRule(LIMITED.connPort(), Protocol.TCP));

        Golden.assertMatches("nft-changes-extended.nft", renderer.changeScript(List.of(LIMITED, DNS),
                List.of(narrowed, NftRendererTests.port(50001, "192.168.1.10", 53)), logged, false).text());
        assertThat(renderer.changeScript(List.of(DNS), List.of(), logged, false).text())
                .doesNotContain("flush", "chain").contains("delete element ip vlab_ipam udp_dnat_targets { 50001 }",
                        "delete element ip vlab_ipam udp_forwards { 50001 . 192.168.1.10 . 53 }");
        assertThat(renderer.changeScript(List.of(LIMITED), List.of(), Set.of(), false).text())
                .contains("delete chain ip vlab_ipam dnat_50002");
    }

    @Test
    void aChangeIntoATableHoldingTheStructuresOpensAUdpMappingWithElementsAndItsLogRuleOnly() {
        String script = renderer.changeScript(List.of(), List.of(DNS), Set.of(new NftLogRule(SSH.connPort(),
                Protocol.TCP)), true).text();

        // no rule with a jump or a DNAT, and no chain: nf_tables then has nothing to validate
        assertThat(script.lines()).containsExactly(
                "add rule ip vlab_ipam logs_49984 meta l4proto udp ct original proto-dst 50001 limit rate 10/second"
                        + " burst 20 packets log prefix \"VLABFWD:50001\" group 5 comment \"vlab-ipam:50001\"",
                "add element ip vlab_ipam udp_forwards { 50001 . 192.168.1.10 . 53 comment \"vlab-ipam:50001\" }",
                "add element ip vlab_ipam udp_dnat_targets { 50001 comment \"vlab-ipam:50001\" : 192.168.1.10 . 53 }");
        assertThat(renderer.changeScript(List.of(), List.of(LIMITED), Set.of(), true).text())
                .doesNotContain("flush").contains("add chain ip vlab_ipam dnat_50002");
    }

    @Test
    void withoutLoggingAUdpMappingHasNoLogLookup() {
        NftRenderer none = new NftRenderer(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NONE, 0, 10, 20));

        assertThat(none.fullScript(List.of(DNS)).text()).doesNotContain("vmap @log_blocks", "logs_");
    }

    @Test
    void theRuleCountAddsTheDnatChainsRulesOfLimitedMappings() {
        NftablesFirewall firewall = new NftablesFirewall(new Nft((command, stdin, timeout) -> {
            throw new AssertionError("no program runs");
        }), renderer);

        // 3 each (two elements, the log rule), plus the DNAT chain rules of the limited ones: 2 + 1
        assertThat(firewall.ruleCount(List.of(SSH, DNS, LIMITED, LIMITED_UDP))).isEqualTo(15);
    }

    static ForwardedPort mapping(int connPort, String address, int targetPort, Protocol protocol, String... sources) {
        return new ForwardedPort(ConnPort.of(connPort), LabAddress.of(address), TargetPort.of(targetPort), protocol,
                AllowedSources.of(List.of(sources)));
    }
}
