package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleOptions;

/** An {@code nft -i} that never answers costs one timeout: then every change runs {@code nft -f} of its own. */
class NftStreamTimeoutTests {

    @Test
    void aStreamThatNeverAnswersIsKilledOnceAndChangesRunAProcessEachAfterwards() throws FirewallException {
        NftStream silent = new NftStream(List.of("sh", "-c", "cat > /dev/null"), Duration.ofMillis(300));
        List<List<String>> commands = new ArrayList<>();
        CommandRunner runner = (command, stdin, timeout) -> {
            commands.add(command);
            return new CommandRunner.Completed(0, "", "");
        };
        NftRenderer renderer = new NftRenderer(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20));
        NftablesFirewall firewall = new NftablesFirewall(new Nft(runner), renderer, null, Optional.of(silent));
        RestoreScript change = firewall.changeScript(List.of(), List.of(NftRendererTests.port(50001, "192.168.1.10", 22)),
                ignored -> false);

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> firewall.applyChanges(change))
                .satisfies(e -> assertThat(e.kind()).isEqualTo(FirewallException.Kind.TRANSIENT));
        assertThat(silent.usable()).isFalse();
        assertThat(silent.pid()).as("killed").isEqualTo(-1);

        firewall.applyChanges(change);

        assertThat(commands).containsExactly(List.of("nft", "-f", "-"));
        firewall.close();
    }
}
