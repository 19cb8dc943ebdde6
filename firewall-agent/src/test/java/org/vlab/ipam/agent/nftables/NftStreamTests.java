package org.vlab.ipam.agent.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.vlab.ipam.agent.nftables.NftRendererTests.port;

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
 * of its commands, names the refused command's line, and the same process takes the next one.
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
        stream = new NftStream(List.of("ip", "netns", "exec", gateway.gatewayNamespace(), "stdbuf", "-oL", "nft", "-i"));
        firewall = new NftablesFirewall(new Nft(new InNamespace(gateway.gatewayNamespace())), new NftRenderer(
                new RuleOptions(InterfaceName.of(gateway.wanInterface()), LogTarget.NFLOG, 5, 10, 20)), null,
                Optional.of(stream));
        firewall.apply(firewall.read().scriptTo(List.of(ports.get(0))));
    }

    @AfterEach
    void removeGateway() {
        firewall.close();
        gateway.close();
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
