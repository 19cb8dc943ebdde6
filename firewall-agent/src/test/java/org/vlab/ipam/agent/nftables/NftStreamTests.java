package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.vlab.ipam.agent.nftables.NftRendererTests.port;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.agent.testing.GatewayLab;
import org.vlab.ipam.agent.testing.InNamespace;
import org.vlab.ipam.testsupport.NetnsTest;

/**
 * The long-lived {@code nft -i} against the real nftables in a gateway namespace: each change
 * is committed when {@code commit} returns, one process for all; a refused change commits none
 * of its commands, names the refused command's line, and the same process takes the next one;
 * after its share of transactions a fresh process takes over, and none leaves a history file.
 */
@NetnsTest
class NftStreamTests {

    private final List<ForwardedPort> ports = List.of(port(50000, "192.168.77.10", 22), port(50001, "192.168.77.11", 3389),
            port(50002, "192.168.77.12", 22));
    private GatewayLab gateway;
    private NftablesFirewall firewall;
    private NftStream stream;

    @BeforeEach
    void gatewayWithTheAgentsTable() throws FirewallException {
        gateway = GatewayLab.withoutBroker();
        stream = new NftStream(nftInteractive());
        firewall = firewallWith(stream);
        firewall.apply(firewall.read().scriptTo(List.of(ports.get(0))));
    }

    @AfterEach
    void removeGateway() {
        firewall.close();
        gateway.close();
    }

    private List<String> nftInteractive() {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", gateway.gatewayNamespace()));
        command.addAll(NftStream.COMMAND);
        return command;
    }

    private NftablesFirewall firewallWith(NftStream changes) {
        return new NftablesFirewall(new Nft(new InNamespace(gateway.gatewayNamespace())), new NftRenderer(
                new RuleOptions(InterfaceName.of(gateway.wanInterface()), LogTarget.NFLOG, 5, 10, 20)), null,
                Optional.of(changes));
    }

    @Test
    void commitsChangeAfterChangeInOneProcess() throws FirewallException {
        firewall.applyChanges(firewall.changeScript(List.of(), List.of(ports.get(1)), ignored -> false));
        long pid = stream.pid();

        firewall.applyChanges(firewall.changeScript(List.of(ports.get(0)), List.of(ports.get(2)), ignored -> false));

        assertThat(firewall.read().holds(List.of(ports.get(1), ports.get(2))))
                .as(firewall.read().differenceFrom(List.of(ports.get(1), ports.get(2)))).isTrue();
        assertThat(stream.pid()).isEqualTo(pid).isPositive();
    }

    @Test
    void aRefusedChangeCommitsNothingNamesItsLineAndTheProcessTakesTheNext() throws FirewallException {
        firewall.applyChanges(firewall.changeScript(List.of(), List.of(ports.get(1)), ignored -> false));
        long pid = stream.pid();
        gateway.onGateway("nft", "delete", "element", "ip", NftRenderer.TABLE, NftRenderer.DNAT_MAP, "{ 50001 }");
        RestoreScript script = firewall.changeScript(List.of(ports.get(1)), List.of(ports.get(2)), ignored -> false);

        FirewallException refused = catchThrowableOfType(FirewallException.class, () -> firewall.applyChanges(script));

        assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
        assertThat(refused.line()).isPresent();
        assertThat(script.mappingAt(refused.line().getAsInt())).contains(ports.get(1).connPort());
        assertThat(refused.reason()).contains("Error: ");
        assertThat(gateway.onGateway("nft", "list", "table", "ip", NftRenderer.TABLE)).as("nothing of the change")
                .contains("50001 . 192.168.77.11").doesNotContain("50002");

        firewall.applyChanges(firewall.changeScript(List.of(), List.of(ports.get(2)), ignored -> false));

        assertThat(gateway.onGateway("nft", "list", "table", "ip", NftRenderer.TABLE)).contains("50002");
        assertThat(stream.pid()).isEqualTo(pid);
    }

    @Test
    void startsAFreshProcessAfterItsShareOfTransactionsAndLosesNoChange() throws FirewallException {
        firewall.close();
        stream = new NftStream(nftInteractive(), Duration.ofSeconds(30), 2);
        firewall = firewallWith(stream);
        firewall.read(); // as the agent's first sync does: a new firewall learns what the table holds
        firewall.applyChanges(firewall.changeScript(List.of(), List.of(ports.get(1)), ignored -> false));
        long first = stream.pid();
        firewall.applyChanges(firewall.changeScript(List.of(ports.get(0)), List.of(), ignored -> false));
        assertThat(stream.pid()).as("the second transaction on the same process").isEqualTo(first);

        firewall.applyChanges(firewall.changeScript(List.of(), List.of(ports.get(2)), ignored -> false));

        assertThat(stream.pid()).as("the third on a fresh one").isPositive().isNotEqualTo(first);
        assertThat(firewall.read().holds(List.of(ports.get(1), ports.get(2))))
                .as(firewall.read().differenceFrom(List.of(ports.get(1), ports.get(2)))).isTrue();
    }

    @Test
    void leavesNoHistoryFileBehind() throws Exception {
        // nft looks in $HOME, which may differ from the user.home Java reads from the password file
        String home = System.getenv("HOME") != null ? System.getenv("HOME") : System.getProperty("user.home");
        Path history = Path.of(home, ".nft.history");
        String before = Files.exists(history) ? Files.size(history) + " bytes, " + Files.getLastModifiedTime(history) : "none";
        firewall.applyChanges(firewall.changeScript(List.of(), List.of(ports.get(1)), ignored -> false));
        firewall.applyChanges(firewall.changeScript(List.of(ports.get(1)), List.of(ports.get(2)), ignored -> false));
        firewall.close(); // nft writes its history, where it has one, as it exits

        String after = Files.exists(history) ? Files.size(history) + " bytes, " + Files.getLastModifiedTime(history) : "none";
        assertThat(after).as(history.toString()).isEqualTo(before);
    }

    @Test
    void aChangeToATableSomeoneDeletedIsRefused() throws FirewallException {
        gateway.onGateway("nft", "delete", "table", "ip", NftRenderer.TABLE);

        FirewallException refused = catchThrowableOfType(FirewallException.class,
                () -> firewall.applyChanges(firewall.changeScript(List.of(), List.of(ports.get(1)), ignored -> false)));

        assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
        assertThat(refused.reason()).contains("No such file or directory");
        firewall.apply(firewall.read().scriptTo(List.of(ports.get(1))));
        assertThat(firewall.read().holds(List.of(ports.get(1)))).isTrue();
    }
}
