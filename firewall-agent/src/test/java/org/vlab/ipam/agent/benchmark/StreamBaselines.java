package org.vlab.ipam.agent.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesFirewall;
import org.vlab.ipam.agent.firewall.IptablesVariant;
import org.vlab.ipam.agent.firewall.RestoreStream;
import org.vlab.ipam.agent.nftables.Nft;
import org.vlab.ipam.agent.nftables.NftRenderer;
import org.vlab.ipam.agent.nftables.NftStream;
import org.vlab.ipam.agent.nftables.NftablesFirewall;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.Rule;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.agent.testing.AgentOnGateway;
import org.vlab.ipam.agent.testing.InNamespace;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.testsupport.NetworkLab;

/**
 * The agent's per-change path without the agent or the broker: its own long-lived stream
 * ({@code iptables-restore} or {@code nft -i}) in a namespace of its own that holds the
 * mappings, one mapping changed per transaction. It tells what the kernel and the firewall
 * program cost from what the agent adds, and shows costs that depend on what came before a
 * change rather than on the change: a create right after a removal (nf_tables destroys a
 * deleted rule's xtables matches and targets after an RCU grace period, and a rule that adds
 * such a match waits for that), a removal's {@code conntrack -D} right after its rules went,
 * and, with nftables, a history file in nft's home.
 */
final class StreamBaselines implements AutoCloseable {

    /** The other mappings of each block stay, so no change opens or closes a block. */
    private static final Predicate<ConnPort> OTHERS_IN_THE_BLOCK = port -> true;

    static final PortMapTarget TARGET = AgentOnGateway.labTarget(8022);
    private static final long PAUSE_MILLIS = 50;
    private static final int HISTORY_LINES = 20_000;

    private final NetworkLab network = new NetworkLab();
    private final String namespace = network.namespace("stream");
    private final Firewall firewall;
    private final Conntrack conntrack;
    /** Lines put before every change that opens a mapping (a baseline's extra work); none by default. */
    private List<Rule> structuresWrittenAgain = List.of();

    /**
     * @param launcher words put before the stream's program inside the namespace (for example
     *        {@code env HOME=<dir>}); empty for the agent's own command
     */
    StreamBaselines(boolean nftables, List<String> launcher) {
        InNamespace runner = new InNamespace(namespace);
        conntrack = new Conntrack(runner, new SimpleMeterRegistry());
        firewall = nftables
                ? new NftablesFirewall(new Nft(runner), new NftRenderer(RestoreBaselines.OPTIONS), null,
                        Optional.of(new NftStream(command(launcher, NftStream.COMMAND))))
                : new IptablesFirewall(new Iptables(runner, IptablesVariant.DEFAULT), new RuleBuilder(RestoreBaselines.OPTIONS),
                        Optional.of(new RestoreStream(command(launcher, IptablesVariant.DEFAULT.restoreStream()))));
    }

    /**
     * The table's rows for one backend: 1,000 mappings on even ports 50000–51998, and creates
     * of odd ones in the same blocks, {@code rounds} of each.
     */
    static String table(boolean nftables, int rounds) throws IOException {
        List<ForwardedPort> held = new ArrayList<>();
        List<ForwardedPort> fresh = new ArrayList<>();
        for (int port = 50000; port < 52000; port++) {
            (port % 2 == 0 ? held : fresh).add(ForwardedPort.of(ConnPort.of(port), TARGET));
        }
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%n| baseline: the agent's own stream (`%s`) alone, "
                + "in a namespace of its own with 1,000 mappings; one mapping per transaction | runs | p50 | p99 |%n"
                + "|---|---|---|---|%n",
                nftables ? "nft -i" : "iptables-restore --noflush"));
        // the same kind of creates with 10 mappings held (50000-50018): odd ports from 50001, all in the
        // one iptables block of the 10; with nftables two of the 50 open a block of 32
        try (StreamBaselines few = new StreamBaselines(nftables, List.of()).holding(held.subList(0, 10))) {
            row(table, "a create after a create, 10 mappings instead of 1,000",
                    few.createsAfterCreates(fresh.subList(0, Math.min(rounds, 50))));
        }
        try (StreamBaselines stream = new StreamBaselines(nftables, List.of()).holding(held)) {
            row(table, "a create after a create", stream.createsAfterCreates(fresh.subList(0, rounds)));
            row(table, "a create right after a removal", stream.createsAfterRemovals(held.subList(0, rounds), 0));
            row(table, "a create " + PAUSE_MILLIS + " ms after a removal",
                    stream.createsAfterRemovals(held.subList(0, rounds), PAUSE_MILLIS));
            row(table, "a removal and its `conntrack -D`, as the agent answers one (created " + PAUSE_MILLIS
                    + " ms before)", stream.removalsWithTheirSessions(held.subList(0, rounds)));
            // so far 7 × rounds + 1 transactions; the late row's rounds + 1 end 10 before the process is replaced
            int room = NftStream.TRANSACTIONS_PER_PROCESS - (7 * rounds + 1) - (rounds + 1) - 10;
            if (nftables && room >= 0) {
                stream.churn(held, room);
                // ports not created before: a port opened again finds its log rule and writes elements only
                row(table, "a create after a create, late in one process's share of transactions",
                        stream.createsAfterCreates(fresh.subList(rounds, 2 * rounds)));
            }
        }
        if (nftables) {
            UdpCreateRows.append(table, held, fresh, rounds);
            Path home = Files.createTempDirectory("nft-home");
            Files.write(home.resolve(".nft.history"), history());
            try (StreamBaselines stream = new StreamBaselines(true, List.of("env", "HOME=" + home)).holding(held)) {
                row(table, "a create after a create, with a history file of " + HISTORY_LINES
                        + " lines in nft's home (the agent before 2026-12-06)", stream.createsAfterCreates(fresh.subList(0, rounds)));
            } finally {
                Files.deleteIfExists(home.resolve(".nft.history"));
                Files.deleteIfExists(home);
            }
        }
        return table.toString();
    }

    /** What nft writes as it exits after {@value #HISTORY_LINES} lines: libedit's header, blanks as {@code \040}. */
    private static List<String> history() {
        List<String> lines = new ArrayList<>(List.of("_HiStOrY_V2_"));
        for (int i = 0; i < HISTORY_LINES / 2; i++) {
            int port = 50001 + i % 9999;
            lines.add(("add element ip vlab_ipam forwards { " + port + " . 192.168.36.1 . 22 }; add element ip vlab_ipam "
                    + "dnat_targets { " + port + " : 192.168.36.1 . 22 }").replace(" ", "\\040"));
            lines.add("list set ip vlab_ipam vlab-ipam-barrier".replace(" ", "\\040"));
        }
        return lines;
    }

    static void row(StringBuilder table, String path, Timings timings) {
        table.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", path, timings.count(),
                Timings.millis(timings.percentileMillis(50)), Timings.millis(timings.percentileMillis(99))));
    }

    /** Writes {@code mappings} in one full transaction (not timed). */
    StreamBaselines holding(List<ForwardedPort> mappings) {
        try {
            firewall.apply(firewall.read().scriptTo(mappings));
        } catch (FirewallException e) {
            throw new IllegalStateException(e.reason(), e);
        }
        return this;
    }

    /** Puts {@code lines} before every change that opens a mapping from now on: a baseline's extra work. */
    StreamBaselines writingBeforeEachCreate(List<Rule> lines) {
        structuresWrittenAgain = List.copyOf(lines);
        return this;
    }

    /** Creates each of {@code fresh} in turn, each timed; then removes them all in one transaction. */
    Timings createsAfterCreates(List<ForwardedPort> fresh) {
        Timings creates = new Timings();
        for (ForwardedPort one : fresh) {
            creates.add(Timings.time(() -> change(List.of(), List.of(one))));
        }
        change(fresh, List.of());
        return creates;
    }

    /**
     * For each of {@code held}: its removal, a pause of {@code pauseMillis}, and its creation
     * again, timed. With no pause the create follows the removal as in a churn.
     */
    Timings createsAfterRemovals(List<ForwardedPort> held, long pauseMillis) {
        Timings creates = new Timings();
        for (ForwardedPort one : held) {
            change(List.of(one), List.of());
            pause(pauseMillis);
            creates.add(Timings.time(() -> change(List.of(), List.of(one))));
        }
        return creates;
    }

    /**
     * For each of {@code held}: its removal and the deletion of its sessions, timed together as
     * the agent does them before it answers; then the mapping again, and a pause of
     * {@value #PAUSE_MILLIS} ms so no destruction is pending at the next removal.
     */
    Timings removalsWithTheirSessions(List<ForwardedPort> held) {
        Timings removals = new Timings();
        for (ForwardedPort one : held) {
            removals.add(Timings.time(() -> {
                change(List.of(one), List.of());
                conntrack.closeSessions(List.of(one));
            }));
            change(List.of(), List.of(one));
            pause(PAUSE_MILLIS);
        }
        return removals;
    }

    /** {@code count} transactions (a removal and a create of the mappings of {@code held} in turn), not timed. */
    void churn(List<ForwardedPort> held, int count) {
        for (int i = 0; i < count / 2; i++) {
            ForwardedPort one = held.get(i % held.size());
            change(List.of(one), List.of());
            change(List.of(), List.of(one));
        }
    }

    private void change(List<ForwardedPort> closed, List<ForwardedPort> opened) {
        try {
            RestoreScript script = firewall.changeScript(closed, opened, OTHERS_IN_THE_BLOCK);
            if (!structuresWrittenAgain.isEmpty() && !opened.isEmpty()) {
                List<Rule> lines = new ArrayList<>(structuresWrittenAgain);
                lines.addAll(script.lines());
                script = new RestoreScript(lines);
            }
            firewall.applyChanges(script);
        } catch (FirewallException e) {
            throw new IllegalStateException(e.reason(), e);
        }
    }

    private List<String> command(List<String> launcher, List<String> program) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(launcher);
        command.addAll(program);
        return command;
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis); // the benchmark's subject: time passing between two changes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (firewall instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                // the namespace goes below either way
            }
        }
        network.close();
    }
}
