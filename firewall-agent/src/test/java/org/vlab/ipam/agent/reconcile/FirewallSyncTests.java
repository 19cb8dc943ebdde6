package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.NOW;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.mapping;
import static org.vlab.ipam.agent.reconcile.Commands.remove;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.vlab.ipam.agent.firewall.CommandRunner;
import org.vlab.ipam.agent.firewall.CommandTimedOutException;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.rules.DesiredRules;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.events.GatewayState;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;

/**
 * The decisions of one sync, against a scripted iptables and conntrack: when to run a
 * transaction, whom a failure is charged to, and whose tracked connections end after a commit.
 * (The real iptables and conntrack are exercised by the netns tests.)
 */
@ExtendWith(OutputCaptureExtension.class)
class FirewallSyncTests {

    private static final RuleBuilder BUILDER = new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"),
            LogTarget.NFLOG, 5, 10, 20));

    private final PortLedger ledger = new PortLedger(GATEWAY);
    private final ScriptedIptables kernel = new ScriptedIptables();
    private final GatewayCondition condition = new GatewayCondition(Clock.fixed(NOW, ZoneOffset.UTC));
    private final FirewallSync sync = new FirewallSync(ledger, new Iptables(kernel, IptablesVariant.DEFAULT), BUILDER,
            condition, new Conntrack(kernel, new SimpleMeterRegistry()));

    @Test
    void touchesNothingBeforeTheFirstSnapshot() {
        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.commands).isEmpty();
    }

    @Test
    void aKernelThatAlreadyMatchesNeedsNoTransaction() {
        ledger.merge(snapshot(3, mapping(50001, 3, MappingState.APPLIED, "192.168.1.10")), POLICY);
        kernel.save = saveOf(BUILDER.build(List.of(port(50001, "192.168.1.10"))));

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.restores).isEmpty();
        assertThat(sync.ruleCount()).isEqualTo(3);
    }

    @Test
    void aChangeIsOneTransactionOfTheWholeRuleSet() {
        ledger.merge(snapshot(1), POLICY);
        offer(create(50001, 2, "192.168.1.10"));
        offer(create(50002, 3, "192.168.1.11"));

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.restores).hasSize(1);
        assertThat(kernel.restores.get(0)).contains("--dport 50001", "--dport 50002");
        assertThat(ledger.answerFor(create(50002, 3, "192.168.1.11"), NOW)).containsInstanceOf(PortMapApplied.class);
    }

    @Test
    void aLineIptablesRefusesFailsOnlyItsMappingAndTheRestIsCommitted(CapturedOutput output) {
        ledger.merge(snapshot(1), POLICY);
        offer(create(50001, 2, "192.168.1.10"));
        offer(create(50002, 3, "192.168.1.11"));
        kernel.refuseLine = line -> line.contains("--ctorigdstport 50001") && line.contains("NFLOG");

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.restores).hasSize(2);
        assertThat(kernel.restores.get(1)).doesNotContain("50001").contains("--dport 50002");
        assertThat(ledger.answerFor(create(50001, 2, "192.168.1.10"), NOW)).get()
                .isInstanceOfSatisfying(PortMapFailed.class, failed -> assertThat(failed.reason())
                        .startsWith("iptables-restore v1.8.9 (nf_tables): Couldn't load target `NFLOG'"));
        assertThat(ledger.answerFor(create(50002, 3, "192.168.1.11"), NOW)).containsInstanceOf(PortMapApplied.class);
        assertThat(output.getOut()).contains("iptables-restore failed at line 15 of its input:",
                "  14: -A VLAB-IPAM-FWD -m conntrack --ctorigdstport 50000:50099",
                "> 15: -A VLAB-IPAM-FWD-50000 -d 192.168.1.10/32", "  16: -A VLAB-IPAM-FWD-50000");
    }

    @Test
    void aRefusalOnALineNoMappingOwnsKeepsEveryMappingPendingAndDegradesTheGateway() {
        ledger.merge(snapshot(1), POLICY);
        offer(create(50001, 2, "192.168.1.10"));
        kernel.refuseLine = line -> line.startsWith("-I FORWARD");

        assertThat(sync.sync(false)).isFalse();

        assertThat(ledger.answerFor(create(50001, 2, "192.168.1.10"), NOW)).isEmpty();
        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50001));
        assertThat(condition.current().state()).isEqualTo(GatewayState.DEGRADED);
        assertThat(condition.current().reason()).contains("Couldn't load target `NFLOG'");
    }

    @Test
    void theSameRefusalOnTwoMappingsFailsNoneRemovesNoneAndDegradesTheGatewayUntilItClears() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        assertThat(sync.sync(false)).isTrue();
        kernel.save = saveOf(BUILDER.build(List.of(port(50001, "192.168.1.10"))));
        List<GatewayCondition.Snapshot> reported = new ArrayList<>();
        condition.onChange(reported::add);
        offer(create(50000, 2, "192.168.1.11"));
        offer(create(50002, 3, "192.168.1.12"));
        kernel.restores.clear();
        kernel.refuseLine = line -> line.contains("NFLOG");

        assertThat(sync.sync(false)).isFalse();

        assertThat(kernel.restores).as("tried with the changes alone, then with all, then without the first refused "
                + "mapping").hasSize(3);
        assertThat(ledger.answerFor(create(50000, 2, "192.168.1.11"), NOW)).isEmpty();
        assertThat(ledger.answerFor(create(50002, 3, "192.168.1.12"), NOW)).isEmpty();
        assertThat(ledger.beginSync().wanted()).hasSize(3);
        assertThat(reported).singleElement().satisfies(state -> {
            assertThat(state.state()).isEqualTo(GatewayState.DEGRADED);
            assertThat(state.reason()).startsWith("iptables-restore v1.8.9 (nf_tables): Couldn't load target `NFLOG'");
        });
        assertThat(condition.failures(FirewallException.Kind.REFUSED)).isEqualTo(2);

        kernel.refuseLine = line -> false;
        assertThat(sync.sync(false)).isTrue();

        assertThat(ledger.answerFor(create(50000, 2, "192.168.1.11"), NOW)).containsInstanceOf(PortMapApplied.class);
        assertThat(condition.current().state()).isEqualTo(GatewayState.OK);
        assertThat(reported).hasSize(2);
    }

    @Test
    void aRefusedMappingFromTheSnapshotIsNeverFailed() {
        ledger.merge(snapshot(4, mapping(50001, 4, MappingState.PENDING, "192.168.1.10")), POLICY);
        kernel.refuseLine = line -> line.contains("--ctorigdstport 50001") && line.contains("NFLOG");

        assertThat(sync.sync(false)).isFalse();

        assertThat(kernel.restores).hasSize(1);
        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50001));
        assertThat(condition.current().state()).isEqualTo(GatewayState.DEGRADED);
    }

    @Test
    void theXtablesLockHeldByAnotherToolIsRetriedAndAnswersNothing() {
        ledger.merge(snapshot(1), POLICY);
        offer(create(50001, 2, "192.168.1.10"));
        kernel.restoreAnswer = new CommandRunner.Completed(4, "", "Another app is currently holding the xtables lock. "
                + "Stopped waiting after 10s.\n");

        assertThat(sync.sync(false)).isFalse();

        assertThat(ledger.answerFor(create(50001, 2, "192.168.1.10"), NOW)).isEmpty();
        assertThat(condition.current().state()).isEqualTo(GatewayState.OK);
        assertThat(condition.failures(FirewallException.Kind.TRANSIENT)).isEqualTo(1);

        kernel.restoreAnswer = null;
        assertThat(sync.sync(false)).isTrue();
        assertThat(ledger.answerFor(create(50001, 2, "192.168.1.10"), NOW)).containsInstanceOf(PortMapApplied.class);
    }

    @Test
    void anIptablesSaveThatTimesOutIsRetriedAndAnswersNothing() {
        ledger.merge(snapshot(1), POLICY);
        offer(create(50001, 2, "192.168.1.10"));
        kernel.saveTimesOut = true;

        assertThat(sync.sync(false)).isFalse();

        assertThat(ledger.answerFor(create(50001, 2, "192.168.1.10"), NOW)).isEmpty();
        assertThat(condition.current().state()).isEqualTo(GatewayState.OK);
        assertThat(condition.failures(FirewallException.Kind.TRANSIENT)).isEqualTo(1);
    }

    @Test
    void aStrayJumpThatVanishedBetweenReadAndWriteIsReadAgain() {
        ledger.merge(snapshot(1), POLICY);
        offer(create(50001, 2, "192.168.1.10"));
        kernel.save = "*filter\n:VLAB-IPAM-FWD - [0:0]\n-A FORWARD -i old0 -m comment --comment vlab-ipam -j VLAB-IPAM-FWD\n"
                + "COMMIT\n";
        kernel.refuseLine = line -> {
            boolean stray = line.startsWith("-D FORWARD -i old0");
            if (stray) {
                kernel.save = "*filter\n:VLAB-IPAM-FWD - [0:0]\nCOMMIT\n"; // someone removed it meanwhile
            }
            return stray;
        };

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.restores).hasSize(2);
        assertThat(kernel.restores.get(1)).doesNotContain("old0");
        assertThat(ledger.answerFor(create(50001, 2, "192.168.1.10"), NOW)).containsInstanceOf(PortMapApplied.class);
        assertThat(condition.current().state()).isEqualTo(GatewayState.OK);
    }

    @Test
    void aRemovalOfAPortOutsideTheRangeIsAcceptedAndClosesIt() {
        // the kernel holds rules of a port from when the range was wider
        ledger.merge(snapshot(1), POLICY);
        kernel.save = saveOf(BUILDER.build(List.of(port(60000, "192.168.1.10"))));
        offer(remove(60000, 2));

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.restores).singleElement().asString().doesNotContain("vlab-ipam:60000")
                .contains("-X VLAB-IPAM-DNAT-60000");
        assertThat(kernel.conntrackDeletions()).containsExactly(deletion(60000, "192.168.1.10"));
        assertThat(ledger.answerFor(remove(60000, 2), NOW)).containsInstanceOf(PortMapRemoved.class);
    }

    @Test
    void aCommittedRemovalDeletesTheTrackedConnectionsOfItsForwardingAfterTheTransaction() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10"),
                mapping(50002, 1, MappingState.APPLIED, "192.168.1.11")), POLICY);
        kernel.save = saveOf(BUILDER.build(List.of(port(50001, "192.168.1.10"), port(50002, "192.168.1.11"))));
        offer(remove(50001, 2));

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.commands).last().isEqualTo(deletion(50001, "192.168.1.10"));
        assertThat(kernel.commands.get(kernel.commands.size() - 2)).first().isEqualTo("iptables-restore");
        assertThat(kernel.conntrackDeletions()).hasSize(1);
    }

    @Test
    void aRetargetDeletesOnlyTheTrackedConnectionsToTheOldTarget() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        kernel.save = saveOf(BUILDER.build(List.of(port(50001, "192.168.1.10"))));
        offer(create(50001, 2, "192.168.1.12"));

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.conntrackDeletions()).containsExactly(deletion(50001, "192.168.1.10"));
    }

    @Test
    void aKernelThatMatchesOrAFailedTransactionDeletesNoTrackedConnection() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        kernel.save = saveOf(BUILDER.build(List.of(port(50001, "192.168.1.10"))));
        assertThat(sync.sync(false)).isTrue();
        offer(remove(50001, 2));
        kernel.refuseLine = line -> line.startsWith(":VLAB-IPAM-DNAT") || line.startsWith("-D VLAB-IPAM-DNAT");

        assertThat(sync.sync(false)).isFalse();

        assertThat(kernel.conntrackDeletions()).isEmpty();
    }

    @Test
    void aMissingConntrackNeverFailsTheSync(CapturedOutput output) {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        kernel.save = saveOf(BUILDER.build(List.of(port(50001, "192.168.1.10"))));
        kernel.conntrackMissing = true;
        offer(remove(50001, 2));

        assertThat(sync.sync(false)).isTrue();

        assertThat(ledger.answerFor(remove(50001, 2), NOW)).containsInstanceOf(PortMapRemoved.class);
        assertThat(output.getOut()).contains("could not delete the tracked connections of 1 of 1 closed mappings");
    }

    @Test
    void aChangeAfterAFullSyncWritesOnlyThatMappingsRulesWithoutReadingTheKernel() {
        twoMappingsInAKernelThatHoldsThem();
        offer(create(50003, 2, "192.168.1.12"));
        offer(remove(50001, 3));

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.commands).extracting(command -> command.get(0)).containsExactly("iptables-restore", "conntrack");
        assertThat(kernel.restores).singleElement().asString().doesNotContain("50002", ":VLAB-IPAM")
                .contains("-D VLAB-IPAM-DNAT-50000 -p tcp -m tcp --dport 50001",
                        "-A VLAB-IPAM-DNAT-50000 -p tcp -m tcp --dport 50003");
        assertThat(kernel.conntrackDeletions()).containsExactly(deletion(50001, "192.168.1.10"));
        assertThat(ledger.answerFor(create(50003, 2, "192.168.1.12"), NOW)).containsInstanceOf(PortMapApplied.class);
        assertThat(ledger.answerFor(remove(50001, 3), NOW)).containsInstanceOf(PortMapRemoved.class);
        assertThat(sync.ruleCount()).isEqualTo(6);
    }

    @Test
    void aSyncOfChangesLooksOnlyAtThePortsChangedAndKeepsTheRuleCountOfAll() {
        MappingSnapshot[] hundred = java.util.stream.IntStream.range(0, 100)
                .mapToObj(n -> mapping(50000 + n, 1, MappingState.APPLIED, "192.168.1." + (10 + n))).toArray(MappingSnapshot[]::new);
        ledger.merge(snapshot(1, hundred), POLICY);
        assertThat(sync.sync(false)).isTrue();
        kernel.restores.clear();
        offer(create(50007, 2, "192.168.1.200"));
        offer(remove(50008, 3));

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.restores).singleElement().asString()
                .contains("-D VLAB-IPAM-DNAT-50000 -p tcp -m tcp --dport 50007", "-A VLAB-IPAM-DNAT-50000 -p tcp -m tcp --dport 50007",
                        "192.168.1.200:22", "-D VLAB-IPAM-DNAT-50000 -p tcp -m tcp --dport 50008")
                .doesNotContain("--dport 50009", "--dport 50006");
        assertThat(sync.ruleCount()).isEqualTo(99 * 3);
        assertThat(ledger.changedPorts()).isZero();

        offer(create(50008, 4, "192.168.1.18"));
        kernel.restores.clear();
        assertThat(sync.sync(false)).isTrue();
        assertThat(kernel.restores).singleElement().asString().contains("-A VLAB-IPAM-DNAT-50000 -p tcp -m tcp --dport 50008")
                .doesNotContain("--dport 50007", "-D ");
        assertThat(sync.ruleCount()).isEqualTo(100 * 3);
    }

    @Test
    void aRefusedSyncOfChangesFallsBackToAFullSyncThatReadsTheKernelAndRewritesIt(CapturedOutput output) {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        assertThat(sync.sync(false)).isTrue();
        // someone deleted the mapping's rules by hand: the deletion by rule text finds nothing
        kernel.save = "*nat\n:VLAB-IPAM-DNAT - [0:0]\nCOMMIT\n*filter\n:VLAB-IPAM-FWD - [0:0]\nCOMMIT\n";
        kernel.refuseLine = line -> line.startsWith("-D VLAB-IPAM-");
        kernel.commands.clear();
        kernel.restores.clear();
        offer(create(50001, 2, "192.168.1.12"));

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.commands).extracting(command -> command.get(0)).containsSubsequence("iptables-restore",
                "iptables-save", "iptables-restore");
        assertThat(kernel.restores).hasSize(2);
        assertThat(kernel.restores.get(1)).contains(":VLAB-IPAM-DNAT - [0:0]", "192.168.1.12:22");
        assertThat(ledger.answerFor(create(50001, 2, "192.168.1.12"), NOW)).containsInstanceOf(PortMapApplied.class);
        assertThat(condition.current().state()).isEqualTo(GatewayState.OK);
        assertThat(output.getOut()).contains("reading the firewall back for a full sync");
    }

    @Test
    void afterAFailedSyncTheNextOneIsFull() {
        ledger.merge(snapshot(1), POLICY);
        assertThat(sync.sync(false)).isTrue();
        offer(create(50001, 2, "192.168.1.10"));
        kernel.restoreAnswer = new CommandRunner.Completed(4, "", "Another app is currently holding the xtables lock. "
                + "Stopped waiting after 10s.\n");
        assertThat(sync.sync(false)).isFalse();
        kernel.restoreAnswer = null;
        kernel.commands.clear();

        assertThat(sync.sync(false)).isTrue();

        assertThat(kernel.commands).extracting(command -> command.get(0)).startsWith("iptables-save");
        assertThat(ledger.answerFor(create(50001, 2, "192.168.1.10"), NOW)).containsInstanceOf(PortMapApplied.class);
    }

    @Test
    void aFullSyncReadsTheKernelBackEvenWhenTheAgentKnowsWhatItHolds() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        assertThat(sync.sync(false)).isTrue();
        kernel.save = "*nat\n:VLAB-IPAM-DNAT - [0:0]\nCOMMIT\n*filter\n:VLAB-IPAM-FWD - [0:0]\nCOMMIT\n";
        kernel.restores.clear();

        assertThat(sync.sync(false)).isTrue();
        assertThat(kernel.restores).as("nothing changed as far as the agent knows").isEmpty();

        assertThat(sync.sync(true)).isTrue();
        assertThat(kernel.restores).singleElement().asString().contains("--dport 50001");
    }

    @Test
    void aDriftedKernelIsReadOnceAndRewrittenWhole() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10")), POLICY);
        assertThat(sync.sync(false)).isTrue();
        long oneRead = kernel.commands.stream().filter(command -> command.get(0).equals("iptables-save")).count();
        kernel.save = "*nat\n:VLAB-IPAM-DNAT - [0:0]\nCOMMIT\n*filter\n:VLAB-IPAM-FWD - [0:0]\nCOMMIT\n";
        kernel.commands.clear();
        kernel.restores.clear();

        assertThat(sync.sync(true)).isTrue();

        assertThat(oneRead).isPositive();
        assertThat(kernel.commands).filteredOn(command -> command.get(0).equals("iptables-save")).hasSize((int) oneRead);
        assertThat(kernel.restores).singleElement().asString().contains(":VLAB-IPAM-DNAT", "--dport 50001");
    }

    @Test
    void aFullSyncOfAKernelAsTheAgentLeftItWritesOnlyTheChangesSince() {
        twoMappingsInAKernelThatHoldsThem();

        assertThat(sync.sync(true)).isTrue();
        assertThat(kernel.commands).extracting(command -> command.get(0)).as("read back, nothing to write")
                .doesNotContain("iptables-restore").contains("iptables-save");

        offer(create(50003, 2, "192.168.1.12"));
        kernel.commands.clear();
        assertThat(sync.sync(true)).isTrue();

        assertThat(kernel.commands).extracting(command -> command.get(0)).containsSubsequence("iptables-save",
                "iptables-restore");
        assertThat(kernel.restores).singleElement().asString().contains("-A VLAB-IPAM-DNAT-50000 -p tcp -m tcp --dport 50003")
                .doesNotContain(":VLAB-IPAM", "--dport 50001", "--dport 50002");
        assertThat(ledger.answerFor(create(50003, 2, "192.168.1.12"), NOW)).containsInstanceOf(PortMapApplied.class);
        assertThat(sync.ruleCount()).isEqualTo(9);
    }

    @Test
    void backOffDoublesUpToItsBound() {
        assertThat(FirewallSync.backoff(0, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(1));
        assertThat(FirewallSync.backoff(3, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(8));
        assertThat(FirewallSync.backoff(9, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }

    /** 50001 and 50002 from a snapshot, the kernel holding their rules already; the commands run so far forgotten. */
    private void twoMappingsInAKernelThatHoldsThem() {
        ledger.merge(snapshot(1, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10"),
                mapping(50002, 1, MappingState.APPLIED, "192.168.1.11")), POLICY);
        kernel.save = saveOf(BUILDER.build(List.of(port(50001, "192.168.1.10"), port(50002, "192.168.1.11"))));
        assertThat(sync.sync(false)).isTrue();
        kernel.commands.clear();
    }

    private void offer(PortMapRequested command) {
        ledger.offer(command, () -> POLICY.refusal(command.action(), command.connPort(), command.target()));
    }

    private static ForwardedPort port(int port, String address) {
        return ForwardedPort.of(ConnPort.of(port), Commands.target(address, 22));
    }

    private static List<String> deletion(int port, String address) {
        return List.of("conntrack", "-D", "-p", "tcp", "--orig-port-dst", Integer.toString(port), "--reply-src", address,
                "--reply-port-src", "22", "--dst-nat");
    }

    private static String saveOf(DesiredRules rules) {
        StringBuilder text = new StringBuilder("*nat\n:VLAB-IPAM-DNAT - [0:0]\n").append(rules.natJump()).append('\n');
        rules.natBlocks().forEach(block -> text.append(':').append(block).append(" - [0:0]\n"));
        rules.natLines().forEach(line -> text.append(line).append('\n'));
        text.append("COMMIT\n*filter\n:VLAB-IPAM-FWD - [0:0]\n").append(rules.filterJump()).append('\n');
        rules.filterBlocks().forEach(block -> text.append(':').append(block).append(" - [0:0]\n"));
        rules.filterLines().forEach(line -> text.append(line).append('\n'));
        return text.append("COMMIT\n").toString();
    }

    /**
     * iptables as a script: iptables-save prints the part of {@link #save} of the table asked
     * for; iptables-restore answers {@link #restoreAnswer} when set, else fails at the first
     * line {@link #refuseLine} matches.
     */
    private static final class ScriptedIptables implements CommandRunner {

        final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>()); // Conntrack runs from its own threads
        final List<String> restores = new ArrayList<>();
        String save = "*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n";
        Predicate<String> refuseLine = line -> false;
        boolean conntrackMissing;

        List<List<String>> conntrackDeletions() {
            return commands.stream().filter(command -> command.get(0).equals("conntrack")).toList();
        }
        Completed restoreAnswer;
        boolean saveTimesOut;

        @Override
        public Completed run(List<String> command, String stdin, Duration timeout) throws IOException {
            commands.add(command);
            if (command.get(0).equals("iptables-save")) {
                if (saveTimesOut) {
                    throw new CommandTimedOutException("iptables-save did not finish within " + timeout);
                }
                return new Completed(0, table(command.get(2)), "");
            }
            if (command.get(0).equals("conntrack")) {
                if (conntrackMissing) {
                    throw new IOException("Cannot run program \"conntrack\": error=2, No such file or directory");
                }
                return new Completed(1, "", "conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n");
            }
            restores.add(stdin);
            if (restoreAnswer != null) {
                return restoreAnswer;
            }
            List<String> lines = stdin.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (refuseLine.test(lines.get(i))) {
                    return new Completed(2, "", "iptables-restore v1.8.9 (nf_tables): Couldn't load target `NFLOG':"
                            + "No such file or directory\n\nError occurred at line: " + (i + 1) + "\n");
                }
            }
            return new Completed(0, "", "");
        }

        private String table(String name) {
            int start = save.indexOf("*" + name + "\n");
            return start < 0 ? "" : save.substring(start, save.indexOf("COMMIT\n", start) + "COMMIT\n".length());
        }
    }
}
