package org.vlab.ipam.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.ObservedRules;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.agent.testing.HeldPorts;
import org.vlab.ipam.agent.testing.InNamespace;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.NetworkLab;

/**
 * The long-lived iptables-restore against the real iptables-nft in a network namespace: each
 * transaction is committed when {@code commit} returns, in one process; what other tools
 * change in between is seen; a refusal names the script's own line and the next transaction
 * starts a new process; and the host's raw rules, which the barrier lists, do not confuse it.
 */
@NetnsTest
class RestoreStreamTests {

    private static final RuleBuilder BUILDER = new RuleBuilder(
            new RuleOptions(InterfaceName.of("wan0"), LogTarget.NFLOG, 5, 10, 20));
    private final NetworkLab network = new NetworkLab();
    private final List<ForwardedPort> ports = ports(4);
    private final HeldPorts kernel = new HeldPorts(BUILDER::changeScript);
    private String namespace;
    private Iptables iptables;
    private RestoreStream stream;

    @BeforeEach
    void gatewayWithTheAgentsChains() throws FirewallException {
        namespace = network.namespace("stream");
        iptables = new Iptables(new InNamespace(namespace), IptablesVariant.NFT);
        iptables.restore(BUILDER.restoreScript(BUILDER.build(List.of()), ObservedRules.parse(iptables.save())));
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(IptablesVariant.NFT.restoreStream());
        stream = new RestoreStream(command);
    }

    @AfterEach
    void removeGateway() {
        stream.close();
        network.close();
    }

    @Test
    void commitsTransactionAfterTransactionInOneProcess() throws FirewallException {
        stream.commit(kernel.change(List.of(), List.of(ports.get(0))));
        long pid = stream.pid();
        assertThat(held()).containsExactly(ports.get(0));

        stream.commit(kernel.change(List.of(ports.get(0)), List.of(ports.get(1), ports.get(2))));

        assertThat(held()).containsExactlyInAnyOrder(ports.get(1), ports.get(2));
        assertThat(stream.pid()).isEqualTo(pid).isPositive();
    }

    @Test
    void seesWhatAnotherToolChangedBetweenTransactions() throws FirewallException {
        stream.commit(kernel.change(List.of(), List.of(ports.get(0))));
        // another process writes a mapping's rules; a stale cache would not find them to delete
        iptables.restore(kernel.change(List.of(), List.of(ports.get(1))));

        stream.commit(kernel.change(List.of(ports.get(1)), List.of()));

        assertThat(held()).containsExactly(ports.get(0));
    }

    @Test
    void aRefusalNamesTheScriptsOwnLineAndTheNextTransactionStartsAfresh() throws FirewallException {
        stream.commit(kernel.change(List.of(), List.of(ports.get(0))));
        long first = stream.pid();
        RestoreScript deletesWhatIsNotThere = kernel.change(List.of(ports.get(3)), List.of(ports.get(1)));

        FirewallException refused = catchThrowableOfType(FirewallException.class,
                () -> stream.commit(deletesWhatIsNotThere));

        assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
        assertThat(refused.line()).hasValue(2);
        assertThat(deletesWhatIsNotThere.mappingAt(2)).contains(ports.get(3).connPort());
        assertThat(refused.reason()).contains("line 2").doesNotContain("line " + (2 + 10));
        assertThat(stream.pid()).isEqualTo(-1);
        assertThat(held()).as("the refused nat table committed nothing").containsExactly(ports.get(0));

        stream.commit(kernel.change(List.of(), List.of(ports.get(2))));

        assertThat(held()).containsExactlyInAnyOrder(ports.get(0), ports.get(2));
        assertThat(stream.pid()).isPositive().isNotEqualTo(first);
    }

    @Test
    void theHostsOwnRawRulesAreNotTakenForTheEndOfATransaction() throws FirewallException {
        for (int i = 0; i < 3; i++) {
            network.exec(namespace, "iptables", "-w", "-t", "raw", "-A", "PREROUTING", "-p", "udp", "--dport",
                    Integer.toString(5000 + i), "-j", "CT", "--notrack");
        }

        stream.commit(kernel.change(List.of(), List.of(ports.get(0))));
        stream.commit(kernel.change(List.of(ports.get(0)), List.of(ports.get(1))));
        stream.commit(kernel.change(List.of(), List.of(ports.get(2))));

        assertThat(held()).containsExactlyInAnyOrder(ports.get(1), ports.get(2));
        assertThat(network.exec(namespace, "iptables", "-w", "-t", "raw", "-S", "PREROUTING")).contains("--dport 5002");
    }

    /** The mappings whose DNAT rules the kernel holds. */
    private List<ForwardedPort> held() throws FirewallException {
        String save = iptables.save();
        return ports.stream().filter(port -> save.contains("--dport " + port.connPort().value() + " -m comment"))
                .toList();
    }

    private static List<ForwardedPort> ports(int count) {
        List<ForwardedPort> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ports.add(new ForwardedPort(ConnPort.of(50000 + i), LabAddress.of("192.168.1." + (10 + i)),
                    TargetPort.of(22)));
        }
        return ports;
    }
}
