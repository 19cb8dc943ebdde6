package org.vlab.ipam.agent.firewall;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.rules.ForwardedPort;

/**
 * Ends the sessions of forwardings the firewall no longer holds. The host's ESTABLISHED accept
 * would keep a connection of a removed or re-targeted mapping alive for days; once its
 * conntrack entry is gone, the next packet of either side meets the rules as they are now,
 * which no longer forward it. Runs Debian's {@code conntrack} with an argument array. A
 * failure never fails the sync (the rules are right already, only old sessions outlive them):
 * it is logged and counted in {@value #FAILURES}.
 */
public final class Conntrack {

    static final String FLOWS_DELETED = "ipam.agent.conntrack.flows.deleted";
    static final String FAILURES = "ipam.agent.conntrack.failures";
    private static final Logger log = LoggerFactory.getLogger(Conntrack.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** conntrack's summary on stderr; it exits 1 when it deleted nothing, which is no error here. */
    private static final Pattern DELETED = Pattern.compile("(\\d+) flow entries have been deleted");

    private final CommandRunner runner;
    private final Counter flowsDeleted;
    private final Counter failures;

    public Conntrack(CommandRunner runner, MeterRegistry registry) {
        this.runner = runner;
        this.flowsDeleted = Counter.builder(FLOWS_DELETED)
                .description("tracked connections deleted because their mapping was removed or re-targeted")
                .register(registry);
        this.failures = Counter.builder(FAILURES)
                .description("closed mappings whose tracked connections could not be deleted").register(registry);
    }

    /**
     * The deletion of the tracked connections that {@code forward} DNAT'd: its connection port in
     * the original direction, answered by its target, so connections of another mapping, of a
     * new target on the same port, or routed without DNAT are kept. A udp forwarding's "connections"
     * are conntrack's udp flows, deleted the same way.
     */
    static List<String> command(ForwardedPort forward) {
        return List.of("conntrack", "-D", "-p", forward.protocol().wire(), "--orig-port-dst", Integer.toString(forward.connPort().value()),
                "--reply-src", forward.address().toString(), "--reply-port-src",
                Integer.toString(forward.targetPort().value()), "--dst-nat");
    }

    /** Deletes the tracked connections of each forwarding in {@code closed}; returns how many it deleted. */
    public int closeSessions(Collection<ForwardedPort> closed) {
        int deleted = 0;
        List<String> problems = new ArrayList<>();
        for (ForwardedPort forward : closed) {
            try {
                CommandRunner.Completed run = runner.run(command(forward), null, TIMEOUT);
                Matcher summary = DELETED.matcher(run.stderr());
                if (summary.find() && (run.exitCode() == 0 || summary.group(1).equals("0"))) {
                    deleted += Integer.parseInt(summary.group(1));
                } else {
                    problems.add(forward.connPort() + ": conntrack exited with " + run.exitCode() + ": "
                            + run.stderr().strip());
                }
            } catch (IOException e) {
                problems.add(forward.connPort() + ": " + e.getMessage());
            }
        }
        flowsDeleted.increment(deleted);
        if (deleted > 0) {
            log.info("deleted {} tracked connections of {} mappings no longer forwarded", deleted, closed.size());
        }
        if (!problems.isEmpty()) {
            failures.increment(problems.size());
            log.warn("could not delete the tracked connections of {} of {} closed mappings, so their established "
                    + "sessions live on until they end (is Debian's conntrack package installed?): {}", problems.size(),
                    closed.size(), String.join("; ", problems));
        }
        return deleted;
    }
}
