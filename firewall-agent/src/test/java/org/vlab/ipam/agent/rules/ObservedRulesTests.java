package org.vlab.ipam.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the agent's chains and jumps back from iptables-save, among everybody else's rules. */
class ObservedRulesTests {

    private final RuleBuilder builder = new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20));
    private final DesiredRules desired = builder.build(List.of(RuleBuilderTests.port(50001, "192.168.1.10", 22)));

    @Test
    void findsTheAgentsRulesAndJumpsAndIgnoresEverythingElse() {
        ObservedRules observed = ObservedRules.parse(save(desired.natJump(), desired.filterJump(), desired));

        assertThat(observed.nat().rules()).isEqualTo(desired.natLines());
        assertThat(observed.filter().rules()).isEqualTo(desired.filterLines());
        assertThat(observed.nat().jumps()).containsExactly(desired.natJump());
        assertThat(observed.filter().jumps()).containsExactly(desired.filterJump());
        assertThat(observed.matches(desired)).isTrue();
        assertThat(observed.differenceFrom(desired)).isEqualTo("none");
    }

    @Test
    void whatATransactionStopsForwardingIsReadFromTheDnatChainAndHandEditsAreSkipped() {
        ForwardedPort ssh = RuleBuilderTests.port(50001, "192.168.1.10", 22);
        ForwardedPort rdp = RuleBuilderTests.port(50002, "192.168.1.11", 3389);
        List<String> natRules = new java.util.ArrayList<>(builder.build(List.of(ssh, rdp)).natLines());
        natRules.add("-A VLAB-IPAM-DNAT -p udp -m udp --dport 53 -j DNAT --to-destination 10.0.0.1:53");
        ObservedRules kernel = new ObservedRules(new ObservedRules.Table(true, natRules, List.of()),
                ObservedRules.Table.EMPTY);

        assertThat(kernel.forwardsNotIn(List.of(ssh))).containsExactly(rdp);
        assertThat(kernel.forwardsNotIn(List.of(ssh, RuleBuilderTests.port(50002, "192.168.1.12", 3389))))
                .as("re-targeted: the old target").containsExactly(rdp);
        assertThat(kernel.forwardsNotIn(List.of(ssh, rdp))).isEmpty();
    }

    @Test
    void aFlushedChainAMissingJumpOrAnEditedRuleIsDrift() {
        ObservedRules flushed = ObservedRules.parse(save(desired.natJump(), desired.filterJump(),
                builder.build(List.of())));
        ObservedRules noJump = ObservedRules.parse(save(desired.natJump(), null, desired));
        ObservedRules edited = ObservedRules.parse(save(desired.natJump(), desired.filterJump(), desired)
                .replace("192.168.1.10:22", "192.168.1.66:22"));

        assertThat(flushed.matches(desired)).isFalse();
        assertThat(flushed.differenceFrom(desired)).contains("nat has 0 block chains, 1 missing",
                "nat chains hold 0 rules, 3 missing");
        assertThat(noJump.matches(desired)).isFalse();
        assertThat(noJump.differenceFrom(desired)).contains("filter has 0 jumps");
        assertThat(edited.matches(desired)).isFalse();
        assertThat(edited.differenceFrom(desired)).contains("1 missing, 1 unexpected");
    }

    @Test
    void anEmptyLeftoverBlockChainIsTheAgentsAndAChainOnlyNamedLikeOneIsNot() {
        String save = save(desired.natJump(), desired.filterJump(), desired).replace(":VLAB-IPAM-DNAT - [0:0]\n",
                ":VLAB-IPAM-DNAT - [0:0]\n:VLAB-IPAM-DNAT-50100 - [0:0]\n:VLAB-IPAM-DNAT-mine - [0:0]\n"
                        + "-A VLAB-IPAM-DNAT-mine -j RETURN\n");
        ObservedRules observed = ObservedRules.parse(save);

        assertThat(observed.nat().blocks()).containsExactlyInAnyOrder("VLAB-IPAM-DNAT-50000", "VLAB-IPAM-DNAT-50100");
        assertThat(observed.nat().rules()).isEqualTo(desired.natLines());
        assertThat(observed.matches(desired)).isFalse();
        assertThat(builder.restoreScript(desired, observed).text()).contains("-X VLAB-IPAM-DNAT-50100")
                .doesNotContain("VLAB-IPAM-DNAT-mine");
    }

    @Test
    void forwardingsAnAgentWroteBeforeBlockChainsAreStillReadSoTheirSessionsCanBeClosed() {
        ForwardedPort ssh = RuleBuilderTests.port(50001, "192.168.1.10", 22);
        String flat = "-A VLAB-IPAM-DNAT -p tcp -m tcp --dport 50001 -m comment --comment \"vlab-ipam:50001\""
                + " -j DNAT --to-destination 192.168.1.10:22";
        ObservedRules kernel = new ObservedRules(new ObservedRules.Table(true, List.of(flat), List.of()),
                ObservedRules.Table.EMPTY);

        assertThat(kernel.forwardsNotIn(List.of())).containsExactly(ssh);
        assertThat(kernel.matches(builder.build(List.of(ssh)))).isFalse();
    }

    @Test
    void aKernelWithoutTheChainsHoldsNothingOfTheAgents() {
        ObservedRules observed = ObservedRules.parse("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\nCOMMIT\n");

        assertThat(observed).isEqualTo(ObservedRules.NOTHING);
        assertThat(observed.matches(builder.build(List.of()))).isFalse();
    }

    /** An iptables-save text with an administrator's rules around the agent's. */
    private static String save(String natJump, String filterJump, DesiredRules chains) {
        StringBuilder text = new StringBuilder("# Generated by iptables-save v1.8.9 (nf_tables)\n*mangle\n"
                + ":PREROUTING ACCEPT [0:0]\n-A PREROUTING -j VLAB-IPAM-DNAT\nCOMMIT\n*filter\n:INPUT ACCEPT [0:0]\n"
                + ":FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:VLAB-IPAM-FWD - [0:0]\n");
        chains.filterBlocks().forEach(block -> text.append(':').append(block).append(" - [0:0]\n"));
        if (filterJump != null) {
            text.append(filterJump).append('\n');
        }
        text.append("-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment \"admin -j VLAB-IPAM-FWD x\" -j ACCEPT\n");
        text.append("-A OUTPUT -j VLAB-IPAM-FWD\n");
        chains.filterLines().forEach(line -> text.append(line).append('\n'));
        text.append("COMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:VLAB-IPAM-DNAT - [0:0]\n");
        chains.natBlocks().forEach(block -> text.append(':').append(block).append(" - [0:0]\n"));
        text.append("-A PREROUTING -p tcp -m tcp --dport 2222 -j DNAT --to-destination 192.168.1.5:22\n");
        if (natJump != null) {
            text.append(natJump).append('\n');
        }
        chains.natLines().forEach(line -> text.append(line).append('\n'));
        return text.append("COMMIT\n").toString();
    }
}
