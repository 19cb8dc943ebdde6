package org.vlab.ipam.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.agent.rules.LogTarget;
import org.vlab.ipam.agent.rules.ObservedRules;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.rules.RuleOptions;

/** How the agent calls iptables and reads its failures (the real programs are exercised by the netns tests). */
class IptablesTests {

    private static final RuleBuilder BUILDER = new RuleBuilder(new RuleOptions(InterfaceName.of("eth0"),
            LogTarget.NFLOG, 5, 10, 20));
    private final RestoreScript script = BUILDER.restoreScript(BUILDER.build(List.of()), ObservedRules.NOTHING);

    @Test
    void aRestoreStreamThatNeverAnswersIsKilledOnceAndChangesRunAProcessEachAfterwards() throws FirewallException {
        RestoreStream silent = new RestoreStream(List.of("sh", "-c", "cat > /dev/null"), Duration.ofMillis(300));
        Recording runner = new Recording(new CommandRunner.Completed(0, "", ""));
        IptablesFirewall firewall = new IptablesFirewall(new Iptables(runner, IptablesVariant.NFT), BUILDER,
                Optional.of(silent));
        RestoreScript change = BUILDER.changeScript(List.of(), List.of(), port -> false);

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> firewall.applyChanges(change))
                .satisfies(e -> assertThat(e.kind()).isEqualTo(FirewallException.Kind.TRANSIENT));
        assertThat(silent.usable()).isFalse();
        assertThat(silent.pid()).as("killed").isEqualTo(-1);

        firewall.applyChanges(change);

        assertThat(runner.commands).containsExactly(IptablesVariant.NFT.restore());
        firewall.close();
    }

    @Test
    void onlyTheNfTablesRestoreIsKeptRunningForChanges() {
        CommandRunner nft = (command, stdin, timeout) -> new CommandRunner.Completed(0,
                command.get(0) + " v1.8.9 (nf_tables)\n", "");
        CommandRunner legacy = (command, stdin, timeout) -> new CommandRunner.Completed(0,
                command.get(0) + " v1.8.9 (legacy)\n", "");
        CommandRunner noStdbuf = (command, stdin, timeout) -> {
            if (command.get(0).equals("stdbuf")) {
                throw new IOException("No such file or directory");
            }
            return new CommandRunner.Completed(0, "iptables-restore v1.8.9 (nf_tables)\n", "");
        };

        assertThat(RestoreStream.forVariant(IptablesVariant.NFT, nft)).isPresent();
        assertThat(RestoreStream.forVariant(IptablesVariant.DEFAULT, legacy)).isEmpty();
        assertThat(RestoreStream.forVariant(IptablesVariant.DEFAULT, noStdbuf)).isEmpty();
        assertThat(IptablesVariant.DEFAULT.restoreStream())
                .containsExactly("stdbuf", "-oL", "iptables-restore", "--noflush", "--wait=10");
    }

    @Test
    void restoreGetsTheRulesOnStdinAndOnlyFixedArguments() throws FirewallException {
        Recording runner = new Recording(new CommandRunner.Completed(0, "", ""));

        new Iptables(runner, IptablesVariant.DEFAULT).restore(script);

        assertThat(runner.commands).containsExactly(List.of("iptables-restore", "--noflush", "--wait=10"));
        assertThat(runner.stdins).containsExactly(script.text());
    }

    @Test
    void anNftStyleErrorNamesItsLine() {
        Recording runner = new Recording(new CommandRunner.Completed(2, "", "iptables-restore v1.8.9 (nf_tables): "
                + "Couldn't load match `conntrack':No such file or directory\n\nError occurred at line: 5\n"
                + "Try `iptables-restore -h' or 'iptables-restore --help' for more information.\n"));

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(runner, IptablesVariant.DEFAULT).restore(script))
                .satisfies(e -> {
                    assertThat(e.line()).hasValue(5);
                    assertThat(e.reason()).isEqualTo("iptables-restore v1.8.9 (nf_tables): Couldn't load match "
                            + "`conntrack':No such file or directory\nError occurred at line: 5");
                });
    }

    @Test
    void aLegacyStyleErrorNamesItsLine() {
        Recording runner = new Recording(new CommandRunner.Completed(1, "",
                "iptables-restore: line 4 failed: Bad rule (does a matching rule exist in that chain?).\n"));

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(runner, IptablesVariant.DEFAULT).restore(script))
                .satisfies(e -> assertThat(e.line()).hasValue(4));
    }

    @Test
    void aLongErrorIsTrimmedForTheAnswer() {
        Recording runner = new Recording(new CommandRunner.Completed(1, "", "x".repeat(5000)));

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(runner, IptablesVariant.DEFAULT).restore(script))
                .satisfies(e -> {
                    assertThat(e.reason()).hasSize(FirewallException.MAX_REASON_LENGTH).endsWith("...");
                    assertThat(e.line()).isEmpty();
                });
    }

    @Test
    void aProgramThatCannotRunIsAFirewallFailure() {
        CommandRunner missing = (command, stdin, timeout) -> {
            throw new IOException("Cannot run program \"iptables-save\": error=2, No such file or directory");
        };

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(missing, IptablesVariant.DEFAULT).save())
                .withMessageContaining("could not run iptables-save");
    }

    @Test
    void theXtablesLockHeldByAnotherToolIsTransient() {
        Recording runner = new Recording(new CommandRunner.Completed(4, "", "Can't lock /run/xtables.lock: Resource "
                + "temporarily unavailable\nAnother app is currently holding the xtables lock. Stopped waiting after 10s.\n"));

        assertThatExceptionOfType(FirewallException.class)
                .isThrownBy(() -> new Iptables(runner, IptablesVariant.LEGACY).restore(script))
                .satisfies(e -> assertThat(e.kind()).isEqualTo(FirewallException.Kind.TRANSIENT));
        assertThat(runner.commands).containsExactly(List.of("iptables-legacy-restore", "--noflush", "--wait=10"));
    }

    @Test
    void aRunThatTimesOutIsTransientAndAMissingProgramIsUnavailable() {
        CommandRunner slow = (command, stdin, timeout) -> {
            throw new CommandTimedOutException("iptables-save did not finish within PT30S and was killed");
        };
        CommandRunner missing = (command, stdin, timeout) -> {
            throw new IOException("Cannot run program \"iptables-save\": error=2, No such file or directory");
        };

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(slow, IptablesVariant.NFT).save())
                .satisfies(e -> assertThat(e.kind()).isEqualTo(FirewallException.Kind.TRANSIENT));
        assertThatExceptionOfType(FirewallException.class)
                .isThrownBy(() -> new Iptables(missing, IptablesVariant.NFT).save())
                .satisfies(e -> assertThat(e.kind()).isEqualTo(FirewallException.Kind.UNAVAILABLE));
    }

    @Test
    void saveReadsOnlyTheNatAndFilterTablesOfTheVariant() throws FirewallException {
        Recording runner = new Recording(new CommandRunner.Completed(0, "*x\nCOMMIT\n", ""));

        assertThat(new Iptables(runner, IptablesVariant.NFT).save()).isEqualTo("*x\nCOMMIT\n*x\nCOMMIT\n");

        assertThat(runner.commands).containsExactly(List.of("iptables-nft-save", "-t", "nat"),
                List.of("iptables-nft-save", "-t", "filter"));
    }

    @Test
    void theVariantHoldingTheRulesIsChosenAndTheHostsDefaultOnATie() {
        String twoRules = "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -j ACCEPT\n-A FORWARD -j DROP\nCOMMIT\n";
        String oneRule = "*nat\n-A PREROUTING -j DNAT --to-destination 10.0.0.1\nCOMMIT\n";

        assertThat(IptablesVariant.detect(saving(oneRule, twoRules))).isEqualTo(IptablesVariant.LEGACY);
        assertThat(IptablesVariant.detect(saving(twoRules, oneRule))).isEqualTo(IptablesVariant.NFT);
        assertThat(IptablesVariant.detect(saving(twoRules, null))).isEqualTo(IptablesVariant.NFT);
        assertThat(IptablesVariant.detect(saving(null, oneRule))).isEqualTo(IptablesVariant.LEGACY);
        assertThat(IptablesVariant.detect(saving("", ""))).isEqualTo(IptablesVariant.DEFAULT);
        assertThat(IptablesVariant.detect(saving(null, null))).isEqualTo(IptablesVariant.DEFAULT);
    }

    @Test
    void aChildThatStopsReadingItsInputCannotOutliveTheTimeout() {
        String megabyte = "x".repeat(1 << 20);
        long start = System.nanoTime();

        assertThatExceptionOfType(CommandTimedOutException.class).isThrownBy(() -> new ProcessCommandRunner()
                .run(List.of("sleep", "30"), megabyte, Duration.ofMillis(500)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    /** iptables-nft-save and iptables-legacy-save printing these (null: not installed). */
    private static CommandRunner saving(String nft, String legacy) {
        return (command, stdin, timeout) -> {
            String output = command.get(0).equals("iptables-nft-save") ? nft : legacy;
            if (output == null) {
                throw new IOException("Cannot run program \"" + command.get(0) + "\": error=2, No such file or directory");
            }
            return new CommandRunner.Completed(0, output, "");
        };
    }

    @Test
    void theProcessRunnerPassesArgumentsWithoutAShell() throws IOException {
        CommandRunner.Completed run = new ProcessCommandRunner().run(List.of("cat", "-"), "a; echo $(id) `id`\n",
                Duration.ofSeconds(10));

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo("a; echo $(id) `id`\n");
    }

    private static final class Recording implements CommandRunner {

        final List<List<String>> commands = new ArrayList<>();
        final List<String> stdins = new ArrayList<>();
        private final Completed answer;

        Recording(Completed answer) {
            this.answer = answer;
        }

        @Override
        public Completed run(List<String> command, String stdin, Duration timeout) {
            commands.add(command);
            stdins.add(stdin);
            return answer;
        }
    }
}
