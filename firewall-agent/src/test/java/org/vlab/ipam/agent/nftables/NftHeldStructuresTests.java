package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.nftables.NftProtocolAndSourcesTests.DNS;
import static org.vlab.ipam.agent.nftables.NftProtocolAndSourcesTests.LIMITED;
import static org.vlab.ipam.agent.nftables.NftProtocolAndSourcesTests.SSH;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleOptions;

/** What the agent knows of the udp and source-limited structures from the transactions it committed. */
class NftHeldStructuresTests {

    private final NftRenderer renderer = new NftRenderer(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5,
            10, 20));
    private final NftHeldStructures structures = new NftHeldStructures(renderer.options());

    @Test
    void aFullScriptSaysWhetherTheTableHoldsThemAndAChangeWritingThemAddsThem() {
        assertThat(structures.held()).as("nothing known at start").isFalse();

        structures.committed(renderer.fullScript(List.of(SSH, DNS)));
        assertThat(structures.held()).isTrue();

        structures.committed(renderer.changeScript(List.of(DNS), List.of(), Set.of(), true));
        assertThat(structures.held()).as("closing the last udp mapping leaves them").isTrue();

        structures.committed(renderer.fullScript(List.of(SSH)));
        assertThat(structures.held()).as("a table written anew without them").isFalse();

        structures.committed(renderer.changeScript(List.of(), List.of(LIMITED), Set.of(), false));
        assertThat(structures.held()).isTrue();
    }

    @Test
    void aReadSaysWhetherTheTableHoldsThem() {
        structures.read(NftSignatures.of(renderer.options(), List.of(SSH), true));
        assertThat(structures.held()).isTrue();

        structures.read(NftSignatures.of(renderer.options(), List.of(SSH), false));
        assertThat(structures.held()).isFalse();

        structures.read(NftTable.NOTHING);
        assertThat(structures.held()).as("no table").isFalse();
    }

    @Test
    void aFailedTransactionLeavesThemUnknownSoTheNextChangeWritesThemAgain() {
        structures.committed(renderer.fullScript(List.of(DNS)));

        structures.unknown();

        assertThat(structures.held()).isFalse();
        assertThat(renderer.changeScript(List.of(), List.of(LIMITED), Set.of(), structures.held()).text())
                .contains(NftExtendedMappings.structuresFirstLine());
    }
}
