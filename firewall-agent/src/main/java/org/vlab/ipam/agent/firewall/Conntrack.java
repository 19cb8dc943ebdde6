package org.vlab.ipam.agent.firewall;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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

    static final int AT_ONCE = 8;

    private final CommandRunner runner;
    /** Threads for deletions run at once; idle ones end after 30 s. */
    private final ThreadPoolExecutor runs = pool();
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

    /**
     * Deletes the tracked connections of each forwarding in {@code closed}; returns how many it
     * deleted. Several forwardings' deletions run at once, up to {@value #AT_ONCE}: most of a
     * {@code conntrack} run is waiting (at its exit, for nf_tables' destruction of the rules just
     * deleted, firewall-agent/README.md), and the sync waits for the last one.
     */
    public int closeSessions(Collection<ForwardedPort> closed) {
        List<ForwardedPort> forwards = List.copyOf(closed);
        List<Future<Outcome>> running = forwards.size() < 2 ? List.of()
                : forwards.stream().map(forward -> runs.submit(() -> deletion(forward))).toList();
        int deleted = 0;
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < forwards.size(); i++) {
            Outcome outcome = running.isEmpty() ? deletion(forwards.get(i)) : outcome(running.get(i), forwards.get(i));
            deleted += outcome.deleted();
            if (outcome.problem() != null) {
                problems.add(outcome.problem());
            }
        }
        if (Thread.currentThread().isInterrupted()) {
            // the caller gives up (the agent stops): runs not started stay so, running ones are killed
            running.forEach(run -> run.cancel(true));
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

    /** One forwarding's deletion: the flows deleted, or why none could be. */
    private record Outcome(int deleted, String problem) {
    }

    private Outcome deletion(ForwardedPort forward) {
        try {
            CommandRunner.Completed run = runner.run(command(forward), null, TIMEOUT);
            Matcher summary = DELETED.matcher(run.stderr());
            if (summary.find() && (run.exitCode() == 0 || summary.group(1).equals("0"))) {
                return new Outcome(Integer.parseInt(summary.group(1)), null);
            }
            return new Outcome(0, forward.connPort() + ": conntrack exited with " + run.exitCode() + ": "
                    + run.stderr().strip());
        } catch (IOException e) {
            return new Outcome(0, forward.connPort() + ": " + e.getMessage());
        }
    }

    private static Outcome outcome(Future<Outcome> running, ForwardedPort forward) {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(0, forward.connPort() + ": interrupted");
        } catch (ExecutionException e) {
            return new Outcome(0, forward.connPort() + ": " + e.getCause());
        }
    }

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(AT_ONCE, AT_ONCE, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "conntrack");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
