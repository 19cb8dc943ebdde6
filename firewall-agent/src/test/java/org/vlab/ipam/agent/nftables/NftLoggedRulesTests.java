package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.nftables.NftRendererTests.port;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Protocol;

/** What the agent knows of the log rules follows the renderer's own scripts, change after change, without a read. */
class NftLoggedRulesTests {

    private final NftRenderer renderer = new NftRenderer(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5,
            10, 20));
    private final NftLoggedRules logged = new NftLoggedRules();

    @Test
    void aFullScriptReplacesWhatWasKnownAndChangesAddTheRulesTheyWrite() {
        logged.read(Set.of(new NftLogRule(ConnPort.of(40000), Protocol.UDP)));
        logged.committed(renderer.fullScript(List.of(port(50001, "192.168.1.10", 22))));
        assertThat(logged.view()).containsExactly(new NftLogRule(ConnPort.of(50001), Protocol.TCP));

        logged.committed(renderer.changeScript(List.of(), List.of(port(50100, "192.168.1.11", 22),
                port(50101, "192.168.1.12", 22)), logged.view(), false));
        logged.committed(renderer.changeScript(List.of(port(50100, "192.168.1.11", 22)), List.of(), logged.view(), false));

        assertThat(logged.view()).as("a closed mapping's rule stays").containsExactlyInAnyOrder(
                new NftLogRule(ConnPort.of(50001), Protocol.TCP), new NftLogRule(ConnPort.of(50100), Protocol.TCP),
                new NftLogRule(ConnPort.of(50101), Protocol.TCP));
        assertThat(renderer.changeScript(List.of(), List.of(port(50100, "192.168.1.13", 22)), logged.view(), false).text())
                .as("opened again: no second rule, no second block").doesNotContain("add rule", "add chain");
    }

    @Test
    void theBlockMaskIsTheBlockSize() {
        assertThat(NftLogBlocks.BLOCK_OF).endsWith("& 0xffe0");
        assertThat(NftLogBlocks.blockOf(ConnPort.of(50015))).isEqualTo(50015 & 0xffe0).isEqualTo(49984);
        assertThat(NftLogBlocks.blockOf(ConnPort.of(65535))).isEqualTo(65504);
    }
}
