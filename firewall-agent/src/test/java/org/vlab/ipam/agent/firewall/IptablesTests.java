package org.vlab.ipam.agent.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    void restoreGetsTheRulesOnStdinAndOnlyFixedArguments() throws FirewallException {
        Recording runner = new Recording(new CommandRunner.Completed(0, "", ""));

        new Iptables(runner).restore(script);

        assertThat(runner.commands).containsExactly(List.of("iptables-restore", "--noflush", "--wait=10"));
        assertThat(runner.stdins).containsExactly(script.text());
    }

    @Test
    void anNftStyleErrorNamesItsLine() {
        Recording runner = new Recording(new CommandRunner.Completed(2, "", "iptables-restore v1.8.9 (nf_tables): "
                + "Couldn't load match `conntrack':No such file or directory\n\nError occurred at line: 5\n"
                + "Try `iptables-restore -h' or 'iptables-restore --help' for more information.\n"));

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(runner).restore(script))
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

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(runner).restore(script))
                .satisfies(e -> assertThat(e.line()).hasValue(4));
    }

    @Test
    void aLongErrorIsTrimmedForTheAnswer() {
        Recording runner = new Recording(new CommandRunner.Completed(1, "", "x".repeat(5000)));

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(runner).restore(script))
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

        assertThatExceptionOfType(FirewallException.class).isThrownBy(() -> new Iptables(missing).save())
                .withMessageContaining("could not run iptables-save");
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
