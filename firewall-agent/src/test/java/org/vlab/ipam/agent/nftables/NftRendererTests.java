package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.Golden;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;

/** The nft text, compared with reviewed golden files next to the iptables ones: the exact input nft -f gets. */
class NftRendererTests {

    private static final RuleOptions NFLOG = new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20);
    private final NftRenderer renderer = new NftRenderer(NFLOG);

    @Test
    void emptyDesiredStateReplacesTheTableWithItsMapsChainsAndFixedRules() {
        Golden.assertMatches("nft-empty.nft", renderer.fullScript(List.of()).text());
    }

    @Test
    void oneMappingIsALogChainAndOneElementInEachMapEachNamingItsMapping() {
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
        assertThat(renderer.rulesPerMapping()).isEqualTo(4);
    }

    @Test
    void changesDeleteAndAddOnlyTheChangedMappingsElementsAndARetargetIsBoth() {
        List<ForwardedPort> closed = List.of(port(50003, "192.168.1.12", 22), port(50002, "192.168.1.11", 22));
        List<ForwardedPort> opened = List.of(port(50003, "192.168.1.13", 22), port(50001, "192.168.1.10", 22));

        Golden.assertMatches("nft-changes.nft", renderer.changeScript(closed, opened).text());
    }

    @Test
    void everyLineOfAMappingNamesItsConnectionPort() {
        var script = renderer.changeScript(List.of(port(50002, "192.168.1.11", 22)), List.of(port(50001, "192.168.1.10", 22)));

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
}
