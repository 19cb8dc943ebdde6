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
    void aUdpMappingHasItsOwnDnatChainUdpAcceptElementAndTheSharedLogChainMap() {
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
    void aChangeOpeningAUdpOrLimitedMappingWritesTheStructuresAgainFlushedAndClosingDeletesTheChain() {
        ForwardedPort narrowed = mapping(50002, "192.168.1.11", 22, Protocol.TCP, "203.0.113.0/24");

        Golden.assertMatches("nft-changes-extended.nft", renderer.changeScript(List.of(LIMITED, DNS),
                List.of(narrowed, NftRendererTests.port(50001, "192.168.1.10", 53)), Set.of(new NftLogRule(DNS.connPort(), Protocol.UDP), new NftLogRule(LIMITED.connPort(), Protocol.TCP))).text());
        assertThat(renderer.changeScript(List.of(DNS), List.of(), Set.of(new NftLogRule(DNS.connPort(), Protocol.UDP))).text())
                .doesNotContain("flush").contains("delete chain ip vlab_ipam dnat_50001");
    }

    @Test
    void withoutLoggingAUdpMappingHasNoLogLookup() {
        NftRenderer none = new NftRenderer(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NONE, 0, 10, 20));

        assertThat(none.fullScript(List.of(DNS)).text()).doesNotContain("vmap @log_blocks", "logs_");
    }

    @Test
    void theRuleCountAddsTheDnatChainsRulesOfUdpAndLimitedMappings() {
        NftablesFirewall firewall = new NftablesFirewall(new Nft((command, stdin, timeout) -> {
            throw new AssertionError("no program runs");
        }), renderer);

        // 3 each (two elements, the log rule), plus the DNAT chain rules: 1 + 2 + 1
        assertThat(firewall.ruleCount(List.of(SSH, DNS, LIMITED, LIMITED_UDP))).isEqualTo(16);
    }

    static ForwardedPort mapping(int connPort, String address, int targetPort, Protocol protocol, String... sources) {
        return new ForwardedPort(ConnPort.of(connPort), LabAddress.of(address), TargetPort.of(targetPort), protocol,
                AllowedSources.of(List.of(sources)));
    }
}
