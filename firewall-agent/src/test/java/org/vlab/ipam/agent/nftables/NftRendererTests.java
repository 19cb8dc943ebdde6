package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.Golden;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;

/** The nft text, compared with reviewed golden files next to the iptables ones: the exact input nft -f gets. */
class NftRendererTests {

    private static final RuleOptions NFLOG = new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20);
    /** The log rules the kernel holds: three of block 49984–50015, one of them udp. */
    static final Set<NftLogRule> LOGGED = Set.of(new NftLogRule(ConnPort.of(50002), Protocol.TCP),
            new NftLogRule(ConnPort.of(50003), Protocol.TCP), new NftLogRule(ConnPort.of(50010), Protocol.UDP));
    private final NftRenderer renderer = new NftRenderer(NFLOG);

    @Test
    void emptyDesiredStateReplacesTheTableWithItsMapsChainsAndFixedRules() {
        Golden.assertMatches("nft-empty.nft", renderer.fullScript(List.of()).text());
    }

    @Test
    void oneMappingIsALogBlockWithItsRuleAndOneElementInEachMapEachNamingItsMapping() {
        Golden.assertMatches("nft-one.nft", renderer.fullScript(List.of(port(50001, "192.168.1.10", 22))).text());
    }

    @Test
    void manyMappingsAreOrderedByConnectionPortWhateverTheirOrder() {
        List<ForwardedPort> ports = new ArrayList<>(List.of(port(50003, "192.168.1.10", 3389),
                port(50001, "192.168.1.10", 22), port(50100, "192.168.1.200", 443), port(50002, "192.168.1.11", 22)));
        String text = renderer.fullScript(ports).text();

        Golden.assertMatches("nft-many.nft", text);
        Collections.reverse(ports);
        assertThat(renderer.fullScript(ports).text()).isEqualTo(text);
    }

    @Test
    void theLogTargetWritesTheSamePrefixAsTheIptablesLogRuleWithItsTrailingSpace() {
        NftRenderer log = new NftRenderer(new RuleOptions(InterfaceName.of("ens3"), LogTarget.LOG, 0, 300, 5));

        Golden.assertMatches("nft-log-target.nft", log.fullScript(List.of(port(50001, "10.1.0.5", 22))).text());
    }

    @Test
    void withoutLoggingThereAreNoLogChainsAndNoLogLookup() {
        NftRenderer none = new NftRenderer(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NONE, 0, 10, 20));

        Golden.assertMatches("nft-no-log.nft", none.fullScript(List.of(port(50001, "192.168.1.10", 22))).text());
        assertThat(none.rulesPerMapping()).isEqualTo(2);
        assertThat(renderer.rulesPerMapping()).isEqualTo(3);
    }

    @Test
    void changesDeleteAndAddOnlyTheChangedMappingsElementsAndLogRulesAndARetargetIsBoth() {
        List<ForwardedPort> closed = List.of(port(50003, "192.168.1.12", 22), port(50002, "192.168.1.11", 22));
        List<ForwardedPort> opened = List.of(port(50003, "192.168.1.13", 22), port(50001, "192.168.1.10", 22));

        Golden.assertMatches("nft-changes.nft", renderer.changeScript(closed, opened, LOGGED, false).text());
    }

    @Test
    void theFirstMappingOfABlockOpensItsLogChainAndAClosedMappingLeavesItsLogRule() {
        ForwardedPort first = port(50050, "192.168.1.10", 22);
        ForwardedPort last = port(50002, "192.168.1.11", 22);

        Golden.assertMatches("nft-changes-blocks.nft", renderer.changeScript(List.of(last), List.of(first),
                Set.of(new NftLogRule(last.connPort(), Protocol.TCP)), false).text());
    }

    @Test
    void aPortThatHadALogRuleForItsProtocolGetsNoSecondOneAndAnotherProtocolGetsItsOwn() {
        String tcp = renderer.changeScript(List.of(), List.of(port(50010, "192.168.1.14", 22)), LOGGED, false).text();
        String udp = renderer.changeScript(List.of(), List.of(port(50002, "192.168.1.14", 22, Protocol.UDP)), LOGGED, false)
                .text();

        assertThat(tcp).contains("add rule ip vlab_ipam logs_49984 meta l4proto tcp ct original proto-dst 50010 ")
                .doesNotContain("add chain");
        assertThat(renderer.changeScript(List.of(), List.of(port(50003, "192.168.1.14", 22)), LOGGED, false).text())
                .doesNotContain("add rule");
        assertThat(udp).contains("meta l4proto udp ct original proto-dst 50002 ").doesNotContain("add chain ip vlab_ipam logs_");
    }

    @Test
    void everyLineOfAMappingNamesItsConnectionPort() {
        var script = renderer.changeScript(List.of(port(50002, "192.168.1.11", 22)),
                List.of(port(50001, "192.168.1.10", 22)), LOGGED, false);

        for (int line = 1; line <= script.lineCount(); line++) {
            String port = script.mappingAt(line).orElseThrow().toString();
            assertThat(script.lineAt(line).orElseThrow()).contains(port);
        }
    }

    @Test
    void twoMappingsForOneConnectionPortAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> renderer.fullScript(List.of(port(50001, "192.168.1.10", 22),
                port(50001, "192.168.1.11", 22))));
    }

    static ForwardedPort port(int connPort, String address, int targetPort) {
        return new ForwardedPort(ConnPort.of(connPort), LabAddress.of(address), TargetPort.of(targetPort));
    }

    private static ForwardedPort port(int connPort, String address, int targetPort, Protocol protocol) {
        return new ForwardedPort(ConnPort.of(connPort), LabAddress.of(address), TargetPort.of(targetPort), protocol,
                AllowedSources.ANY);
    }
}
