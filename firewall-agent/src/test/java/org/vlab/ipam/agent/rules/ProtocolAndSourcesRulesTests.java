package org.vlab.ipam.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesFirewall;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.domain.AllowedSources;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.domain.TargetPort;

/** udp mappings and mappings limited to source networks, as iptables rules and read back from iptables-save. */
class ProtocolAndSourcesRulesTests {

    private static final RuleOptions NFLOG = new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20);
    private final RuleBuilder builder = new RuleBuilder(NFLOG);
    private final ForwardedPort dns = port(50001, "192.168.1.10", 53, Protocol.UDP);
    private final ForwardedPort limited = new ForwardedPort(ConnPort.of(50002), LabAddress.of("192.168.1.11"),
            TargetPort.of(22), Protocol.TCP, AllowedSources.of(List.of("203.0.113.0/24", "198.51.100.7/32")));
    private final ForwardedPort limitedUdp = new ForwardedPort(ConnPort.of(50003), LabAddress.of("192.168.1.12"),
            TargetPort.of(5353), Protocol.UDP, AllowedSources.of(List.of("10.9.0.0/16")));

    @Test
    void aUdpMappingDnatsLogsNewFlowsAndAcceptsUdpOnly() {
        String script = builder.restoreScript(builder.build(List.of(dns)), ObservedRules.NOTHING).text();

        Golden.assertMatches("udp.rules", script);
        assertThat(script.lines().filter(line -> line.contains("vlab-ipam:50001"))).isNotEmpty()
                .noneMatch(line -> line.contains("-p tcp"));
    }

    @Test
    void aLimitedMappingHasOneDnatRulePerSourceNetworkInAddressOrderEachNamingItsMapping() {
        RestoreScript script = builder.restoreScript(builder.build(List.of(limited, limitedUdp, dns)),
                ObservedRules.NOTHING);

        Golden.assertMatches("allowed-sources.rules", script.text());
        assertThat(builder.build(List.of(limited)).natLines()).containsSubsequence(
                "-A VLAB-IPAM-DNAT-50000 -s 198.51.100.7/32 -p tcp -m tcp --dport 50002 -m comment --comment \"vlab-ipam:50002\""
                        + " -j DNAT --to-destination 192.168.1.11:22",
                "-A VLAB-IPAM-DNAT-50000 -s 203.0.113.0/24 -p tcp -m tcp --dport 50002 -m comment --comment \"vlab-ipam:50002\""
                        + " -j DNAT --to-destination 192.168.1.11:22");
        List<String> lines = script.text().lines().toList();
        for (int number = 1; number <= lines.size(); number++) {
            if (lines.get(number - 1).matches("-A VLAB-IPAM-(DNAT|FWD)-\\d+ .*")) {
                assertThat(lines.get(number - 1)).contains("--comment \"vlab-ipam:" + script.mappingAt(number).orElseThrow());
            }
        }
    }

    @Test
    void aChangeOfSourcesDeletesEveryOldDnatRuleAndAppendsTheNewOnes() {
        ForwardedPort narrowed = new ForwardedPort(limited.connPort(), limited.address(), limited.targetPort(),
                Protocol.TCP, AllowedSources.of(List.of("203.0.113.0/24")));

        Golden.assertMatches("changes-sources.rules", builder.changeScript(List.of(limited, dns),
                List.of(narrowed, port(50001, "192.168.1.10", 53, Protocol.TCP)), held -> true).text());
    }

    @Test
    void theRulesReadBackFromIptablesSaveMatchAndGiveBackTheForwardingsWithProtocolAndSources() {
        DesiredRules desired = builder.build(List.of(dns, limited, limitedUdp));
        ObservedRules kernel = new ObservedRules(
                new ObservedRules.Table(true, desired.natLines(), List.of(desired.natJump())),
                new ObservedRules.Table(true, desired.filterLines(), List.of(desired.filterJump())));

        assertThat(kernel.matches(desired)).isTrue();
        assertThat(kernel.forwardsNotIn(List.of(dns, limited, limitedUdp))).isEmpty();
        assertThat(kernel.forwardsNotIn(List.of(limited))).containsExactly(dns, limitedUdp);
    }

    @Test
    void aChangedProtocolOrADroppedSourceRuleIsDriftAndTheHeldForwardingIsClosed() {
        DesiredRules desired = builder.build(List.of(dns, limited));
        List<String> oneSourceLost = new ArrayList<>(desired.natLines());
        oneSourceLost.removeIf(line -> line.contains("-s 198.51.100.7/32"));
        ObservedRules kernel = new ObservedRules(
                new ObservedRules.Table(true, oneSourceLost, List.of(desired.natJump())),
                new ObservedRules.Table(true, desired.filterLines(), List.of(desired.filterJump())));
        ForwardedPort asTcp = port(50001, "192.168.1.10", 53, Protocol.TCP);

        assertThat(kernel.matches(desired)).isFalse();
        assertThat(kernel.differenceFrom(desired)).contains("nat chains hold 4 rules, 1 missing");
        assertThat(kernel.forwardsNotIn(List.of(dns, limited))).as("the kernel's narrower forwarding")
                .containsExactly(new ForwardedPort(limited.connPort(), limited.address(), limited.targetPort(),
                        Protocol.TCP, AllowedSources.of(List.of("203.0.113.0/24"))));
        assertThat(kernel.forwardsNotIn(List.of(asTcp, limited))).contains(dns);
        assertThat(builder.build(List.of(asTcp, limited))).isNotEqualTo(desired);
    }

    @Test
    void aHandWrittenRuleForEverySourceWithTheAgentsCommentIsDriftAndNoForwarding() {
        DesiredRules desired = builder.build(List.of(limited));
        List<String> widened = new ArrayList<>(desired.natLines());
        widened.add(desired.natLines().get(0).replace("-s 198.51.100.7/32", "-s 0.0.0.0/0"));
        ObservedRules kernel = new ObservedRules(new ObservedRules.Table(true, widened, List.of(desired.natJump())),
                new ObservedRules.Table(true, desired.filterLines(), List.of(desired.filterJump())));

        assertThat(kernel.matches(desired)).isFalse();
        assertThat(kernel.forwardsNotIn(List.of(limited))).isEmpty();
    }

    @Test
    void sourcesAreOrderedWhateverTheOrderTheyCameIn() {
        ForwardedPort reversed = new ForwardedPort(limited.connPort(), limited.address(), limited.targetPort(),
                Protocol.TCP, AllowedSources.of(List.of("198.51.100.7/32", "203.0.113.0/24")));

        assertThat(reversed).isEqualTo(limited);
        assertThat(builder.build(List.of(reversed))).isEqualTo(builder.build(List.of(limited)));
    }

    @Test
    void theRuleCountCountsADnatRulePerSourceNetwork() {
        Firewall firewall = new IptablesFirewall(new Iptables((command, stdin, timeout) -> {
            throw new AssertionError("no program runs");
        }, IptablesVariant.DEFAULT), builder);

        assertThat(firewall.ruleCount(List.of(dns, limited, limitedUdp)))
                .isEqualTo(builder.build(List.of(dns, limited, limitedUdp)).ruleCount()).isEqualTo(10);
    }

    static ForwardedPort port(int connPort, String address, int targetPort, Protocol protocol) {
        return new ForwardedPort(ConnPort.of(connPort), LabAddress.of(address), TargetPort.of(targetPort), protocol,
                AllowedSources.ANY);
    }
}
