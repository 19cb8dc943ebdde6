package org.vlab.ipam.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.PortMapTarget;

/** The rule text, compared with reviewed golden files: the exact input iptables-restore gets. */
class RuleBuilderTests {

    private static final RuleOptions NFLOG = new RuleOptions(InterfaceName.of("eth0"), LogTarget.NFLOG, 5, 10, 20);
    private final RuleBuilder builder = new RuleBuilder(NFLOG);
    /** A kernel whose block of ports 50000–50099 holds other mappings than those a change names. */
    private static final Predicate<ConnPort> OTHERS_IN_THE_BLOCK = port -> port.value() == 50050;

    @Test
    void emptyDesiredStateCreatesTheChainsAndOneJumpIntoEach() {
        Golden.assertMatches("empty.rules", script(builder, List.of(), ObservedRules.NOTHING));
    }

    @Test
    void oneMappingIsADnatALogRuleForNewConnectionsAndAnAccept() {
        Golden.assertMatches("one.rules", script(builder, List.of(port(50001, "192.168.1.10", 22)), ObservedRules.NOTHING));
    }

    @Test
    void manyMappingsAreOrderedByConnectionPortWhateverTheirOrderAndExistingJumpsAreKept() {
        List<ForwardedPort> ports = new ArrayList<>(List.of(port(50003, "192.168.1.10", 3389), port(50001, "192.168.1.10", 22),
                port(50100, "192.168.1.200", 443), port(50002, "192.168.1.11", 22), port(50050, "192.168.1.10", 8080)));
        DesiredRules desired = builder.build(ports);
        ObservedRules jumpsInPlace = new ObservedRules(
                new ObservedRules.Table(true, List.of(), List.of(desired.natJump())),
                new ObservedRules.Table(true, List.of(), List.of(desired.filterJump())));

        Golden.assertMatches("many.rules", builder.restoreScript(desired, jumpsInPlace).text());
        Collections.reverse(ports);
        assertThat(builder.build(ports)).isEqualTo(desired);
    }

    @Test
    void jumpsTakeOnlyPacketsToTheGatewayAndOnlyDnatedConnections() {
        DesiredRules desired = builder.build(List.of());

        assertThat(desired.natJump()).isEqualTo(
                "-A PREROUTING -i eth0 -m addrtype --dst-type LOCAL -m comment --comment vlab-ipam -j VLAB-IPAM-DNAT");
        assertThat(desired.filterJump()).isEqualTo(
                "-A FORWARD -i eth0 -m conntrack --ctstate DNAT -m comment --comment vlab-ipam -j VLAB-IPAM-FWD");
    }

    @Test
    void removalRewritesTheChainWithoutTheMappingAndReplacesStrayAndUnconditionalJumps() {
        DesiredRules before = builder.build(List.of(port(50001, "192.168.1.10", 22), port(50002, "192.168.1.11", 22),
                port(50003, "192.168.1.12", 22)));
        DesiredRules after = builder.build(List.of(port(50001, "192.168.1.10", 22), port(50003, "192.168.1.12", 22)));
        String oldWanJump = "-A PREROUTING -i eth9 -m comment --comment vlab-ipam -j " + RuleBuilder.NAT_CHAIN;
        // the jump as agents wrote it before it took only DNAT'd connections
        String unconditionalJump = "-A FORWARD -i eth0 -m comment --comment vlab-ipam -j " + RuleBuilder.FILTER_CHAIN;
        ObservedRules kernel = new ObservedRules(
                new ObservedRules.Table(true, before.natLines(), List.of(oldWanJump)),
                new ObservedRules.Table(true, before.filterLines(), List.of(unconditionalJump, before.filterJump(),
                        before.filterJump())));

        Golden.assertMatches("removal.rules", builder.restoreScript(after, kernel).text());
    }

    @Test
    void aChangeDeletesTheClosedMappingsRulesByTheirTextAndAppendsTheOpenedOnesOnly() {
        // 50002 removed, 50003 re-targeted from .12 to .13, 50001 created; the kernel's other mappings are not named
        RestoreScript changes = builder.changeScript(
                List.of(port(50003, "192.168.1.12", 22), port(50002, "192.168.1.11", 22)),
                List.of(port(50003, "192.168.1.13", 22), port(50001, "192.168.1.10", 22)), OTHERS_IN_THE_BLOCK);

        Golden.assertMatches("changes.rules", changes.text());
        List<String> lines = changes.text().lines().toList();
        for (int number = 1; number <= lines.size(); number++) {
            if (lines.get(number - 1).startsWith("-")) {
                ConnPort port = changes.mappingAt(number).orElseThrow();
                assertThat(lines.get(number - 1)).contains("--comment \"vlab-ipam:" + port + "\"");
            }
        }
    }

    @Test
    void aBlocksFirstMappingDeclaresItsChainsAndJumpsAndItsLastDeletesThem() {
        // 50150 opens the empty block 50100-50199; 50001 leaves block 50000-50099 empty
        RestoreScript changes = builder.changeScript(List.of(port(50001, "192.168.1.10", 22)),
                List.of(port(50150, "192.168.1.11", 22)), port -> port.value() == 50001);

        Golden.assertMatches("blocks.rules", changes.text());
    }

    @Test
    void aChangeInsideABlockThatStaysOccupiedNamesNoBlock() {
        String text = builder.changeScript(List.of(port(50001, "192.168.1.10", 22)), List.of(port(50002, "192.168.1.11", 22)),
                port -> port.value() == 50001).text();

        assertThat(text).doesNotContain(":VLAB-IPAM", "-X ", "-j VLAB-IPAM-DNAT-", "-j VLAB-IPAM-FWD-");
    }

    @Test
    void eachMappingLivesInTheBlockChainOfItsHundredPortsAndTheEntryChainsJumpOnlyForTheBlocksPorts() {
        DesiredRules desired = builder.build(List.of(port(50099, "192.168.1.10", 22), port(50100, "192.168.1.11", 22),
                port(65535, "192.168.1.12", 22), port(1, "192.168.1.13", 22)));

        assertThat(desired.natBlocks()).containsExactly("VLAB-IPAM-DNAT-0", "VLAB-IPAM-DNAT-50000",
                "VLAB-IPAM-DNAT-50100", "VLAB-IPAM-DNAT-65500");
        assertThat(desired.natLines()).contains(
                "-A VLAB-IPAM-DNAT -p udp -m udp --dport 65500:65535 -m comment --comment vlab-ipam -j VLAB-IPAM-DNAT-65500",
                "-A VLAB-IPAM-DNAT -p tcp -m tcp --dport 0:99 -m comment --comment vlab-ipam -j VLAB-IPAM-DNAT-0");
        assertThat(desired.filterLines()).contains(
                "-A VLAB-IPAM-FWD -m conntrack --ctorigdstport 50000:50099 -m comment --comment vlab-ipam -j VLAB-IPAM-FWD-50000")
                .anyMatch(line -> line.startsWith("-A VLAB-IPAM-FWD-50100 -d 192.168.1.11/32"));
        assertThat(desired.ruleCount()).isEqualTo(12);
    }

    @Test
    void aFullRestoreEmptiesAndDeletesBlockChainsNoLongerWanted() {
        DesiredRules before = builder.build(List.of(port(50001, "192.168.1.10", 22), port(50150, "192.168.1.11", 22)));
        ObservedRules kernel = new ObservedRules(
                new ObservedRules.Table(true, before.natLines(), List.of(before.natJump())),
                new ObservedRules.Table(true, before.filterLines(), List.of(before.filterJump())));
        DesiredRules after = builder.build(List.of(port(50001, "192.168.1.10", 22)));

        assertThat(kernel.matches(after)).isFalse();
        assertThat(kernel.differenceFrom(after)).contains("nat has 2 block chains, 0 missing, 1 unexpected");
        Golden.assertMatches("stale-block.rules", builder.restoreScript(after, kernel).text());
    }

    @Test
    void aChangeWithoutLogRulesDeletesAndAppendsOnlyDnatAndAccept() {
        RuleBuilder quiet = new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NONE, 0, 10, 20));

        Golden.assertMatches("changes-no-log.rules", quiet.changeScript(List.of(port(50002, "192.168.1.11", 22)),
                List.of(port(50001, "192.168.1.10", 22)), OTHERS_IN_THE_BLOCK).text());
        assertThat(quiet.rulesPerMapping()).isEqualTo(2);
        assertThat(builder.rulesPerMapping()).isEqualTo(3);
    }

    @Test
    void aChainWhoseMappingsStandInAnotherOrderStillMatchesButRulesOutOfOrderWithinAMappingDoNot() {
        DesiredRules desired = builder.build(List.of(port(50001, "192.168.1.10", 22), port(50002, "192.168.1.11", 22)));
        // the jump into the block first, then each mapping's log and accept
        List<String> appended = new ArrayList<>(desired.filterLines().subList(0, 1));
        appended.addAll(desired.filterLines().subList(3, 5));
        appended.addAll(desired.filterLines().subList(1, 3));
        List<String> swapped = new ArrayList<>(desired.filterLines());
        Collections.swap(swapped, 1, 2);
        List<String> natReversed = new ArrayList<>(desired.natLines());
        Collections.reverse(natReversed);

        assertThat(new ObservedRules(new ObservedRules.Table(true, natReversed, List.of(desired.natJump())),
                new ObservedRules.Table(true, appended, List.of(desired.filterJump()))).matches(desired)).isTrue();
        assertThat(new ObservedRules(new ObservedRules.Table(true, desired.natLines(), List.of(desired.natJump())),
                new ObservedRules.Table(true, swapped, List.of(desired.filterJump()))).matches(desired))
                .as("the log rule after the accept never fires").isFalse();
    }

    @Test
    void hostileNamesNeverReachTheRules() {
        String hostile = "x\" -j ACCEPT\n-A FORWARD -j ACCEPT #";
        PortMapTarget target = new PortMapTarget(LabAddress.of("192.168.1.10"), TargetPort.of(22),
                MachineName.of(hostile.replace("\n", " ")), Component.of("$(reboot)`reboot`;reboot"));

        String rules = script(builder, List.of(ForwardedPort.of(ConnPort.of(50001), target)), ObservedRules.NOTHING);

        Golden.assertMatches("hostile.rules", rules);
        assertThat(rules).isEqualTo(script(builder, List.of(port(50001, "192.168.1.10", 22)), ObservedRules.NOTHING))
                .doesNotContain("reboot", "-A FORWARD -j ACCEPT");
    }

    @Test
    void hostileValuesCannotBeConstructed() {
        assertThatIllegalArgumentException().isThrownBy(() -> LabAddress.of("192.168.1.10 -j ACCEPT"));
        assertThatIllegalArgumentException().isThrownBy(() -> LabAddress.of("192.168.1.10\n-A FORWARD"));
        assertThatIllegalArgumentException().isThrownBy(() -> InterfaceName.of("eth0 -j ACCEPT"));
        assertThatIllegalArgumentException().isThrownBy(() -> InterfaceName.of("eth0\n-A"));
        assertThatIllegalArgumentException().isThrownBy(() -> TargetPort.of(0));
        assertThatIllegalArgumentException().isThrownBy(() -> ConnPort.of(70000));
        assertThatIllegalArgumentException().isThrownBy(() -> SaveFormat.quoted("a\" -j ACCEPT"));
    }

    @Test
    void logTargetLogWritesTheKernelLogPrefixAndLeavesDefaultsOutAsIptablesSaveDoes() {
        RuleBuilder log = new RuleBuilder(new RuleOptions(InterfaceName.of("ens3"), LogTarget.LOG, 0, 300, 5));

        Golden.assertMatches("log-target.rules", script(log, List.of(port(50001, "10.1.0.5", 22)), ObservedRules.NOTHING));
    }

    @Test
    void noLogTargetLeavesOnlyDnatAndAccept() {
        RuleBuilder quiet = new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"), LogTarget.NONE, 0, 10, 20));

        Golden.assertMatches("no-log.rules", script(quiet, List.of(port(50001, "192.168.1.10", 22)), ObservedRules.NOTHING));
    }

    @Test
    void twoMappingsOfOnePortAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> builder.build(List.of(port(50001, "192.168.1.10", 22),
                port(50001, "192.168.1.11", 22)))).withMessageContaining("50001");
    }

    @Test
    void everyMappingRuleNamesItsMappingAndIsTracedBackFromItsLine() {
        RestoreScript script = builder.restoreScript(builder.build(List.of(port(50001, "192.168.1.10", 22),
                port(50002, "192.168.1.11", 80))), ObservedRules.NOTHING);
        List<String> lines = script.text().lines().toList();

        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.matches("-A VLAB-IPAM-(DNAT|FWD)-\\d+ .*")) {
                ConnPort port = script.mappingAt(number).orElseThrow();
                assertThat(line).contains("--comment \"vlab-ipam:" + port + "\"");
            } else {
                assertThat(script.mappingAt(number)).as("line %d: %s", number, line).isEmpty();
            }
        }
        assertThat(script.excerpt(5, 1)).isEqualTo("  4: " + lines.get(3) + "\n> 5: " + lines.get(4) + "\n  6: "
                + lines.get(5) + "\n");
    }

    @Test
    void ratesAreWrittenAsLibxtLimitPrintsThem() {
        assertThat(SaveFormat.rate(10)).isEqualTo("10/sec");
        assertThat(SaveFormat.rate(1)).isEqualTo("1/sec");
        assertThat(SaveFormat.rate(7)).isEqualTo("7/sec");
        assertThat(SaveFormat.rate(300)).isEqualTo("303/sec");
        assertThat(SaveFormat.rate(10000)).isEqualTo("10000/sec");
    }

    private static String script(RuleBuilder builder, List<ForwardedPort> ports, ObservedRules observed) {
        return builder.restoreScript(builder.build(ports), observed).text();
    }

    static ForwardedPort port(int connPort, String address, int targetPort) {
        return new ForwardedPort(ConnPort.of(connPort), LabAddress.of(address), TargetPort.of(targetPort));
    }
}
