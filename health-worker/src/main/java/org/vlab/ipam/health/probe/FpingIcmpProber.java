package org.vlab.ipam.health.probe;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.IcmpProbe;

/**
 * ICMP echo through Debian's {@code fping}, one process per chunk of addresses, started with
 * an argument array (never a shell). fping holds the NET_RAW capability as a file capability,
 * so the JVM needs no privilege of its own and the capability can be granted to the container
 * alone. Java has no portable way to send ICMP ({@code InetAddress.isReachable} silently falls
 * back to a TCP connect to port 7 without privilege), which is why a process is worth its
 * start-up cost, and why one process serves many addresses. fping exits 1 when some target did
 * not answer: that is an outcome, read per target from its summary, not a failure.
 */
final class FpingIcmpProber implements IcmpProber {

    /** Spacing of the echoes to one address: a LAN answers within it, and a cycle stays short. */
    static final Duration ECHO_SPACING = Duration.ofMillis(100);
    /** fping's {@code -i}: the least time between two echoes of a run, to any target (fping's own minimum). */
    static final Duration SEND_INTERVAL = Duration.ofMillis(1);
    /** fping's own exit code for a failed system call, such as opening a raw socket without NET_RAW. */
    static final int SYSTEM_CALL_FAILED = 4;
    /** fping's exit code when some target did not answer (0: every one did; 2: a name not found; 3: bad arguments). */
    private static final int SOME_UNREACHABLE = 1;
    /** Time for fping to start and print beyond its own timeouts before it is killed. */
    private static final Duration START_ALLOWANCE = Duration.ofSeconds(1);

    private final String program;
    private final ProcessRunner runner;
    private final int echoes;
    private final Duration timeout;

    FpingIcmpProber(String program, ProcessRunner runner, int echoes, Duration timeout) {
        if (echoes < 1) {
            throw new IllegalArgumentException("at least one echo; got " + echoes);
        }
        this.program = program;
        this.runner = runner;
        this.echoes = echoes;
        this.timeout = timeout;
    }

    /**
     * The command for a chunk: N echoes to each address spaced {@link #ECHO_SPACING} apart, at
     * most one echo every {@link #SEND_INTERVAL}, each awaited for the probe timeout, with the
     * statistics ({@code -s}) that tell a refused send. Not quiet: the per-echo lines are what
     * attribute timeouts and ICMP errors to their target.
     */
    List<String> command(List<Ipv4Address> addresses) {
        List<String> command = new ArrayList<>(List.of(program, "-s", "-c", Integer.toString(echoes), "-p",
                Long.toString(ECHO_SPACING.toMillis()), "-i", Long.toString(SEND_INTERVAL.toMillis()), "-t",
                Long.toString(Math.max(1, timeout.toMillis()))));
        addresses.forEach(address -> command.add(address.toString()));
        return command;
    }

    /** How long a run over {@code addresses} may take at most: the echoes' spacing and sending, the last timeout, start-up. */
    Duration deadline(int addresses) {
        return ECHO_SPACING.multipliedBy(echoes - 1L).plus(SEND_INTERVAL.multipliedBy((long) addresses * echoes))
                .plus(timeout).plus(START_ALLOWANCE);
    }

    @Override
    public IcmpProbe echo(Ipv4Address address) {
        return echoAll(List.of(address)).get(address).probeOrThrow();
    }

    /**
     * One fping run over all the addresses.
     *
     * @throws IcmpUnavailableException when fping cannot be started or may not open its socket
     * @throws ProbeFailedException when fping did not finish in time (a slow host, not the targets' silence)
     * @throws IllegalStateException when fping failed otherwise (its output is in the message)
     */
    @Override
    public Map<Ipv4Address, EchoResult> echoAll(List<Ipv4Address> addresses) {
        ProcessRunner.Result result;
        try {
            result = runner.run(command(addresses), deadline(addresses.size()));
        } catch (IOException e) {
            throw IcmpUnavailableException.cannotStart(program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing " + addresses.size() + " addresses", e);
        }
        if (result.killed()) {
            throw new ProbeFailedException(program + " did not finish within " + deadline(addresses.size()).toMillis()
                    + " ms", null);
        }
        if (result.exitCode() == SYSTEM_CALL_FAILED || IcmpUnavailableException.deniedIn(result.output())) {
            throw IcmpUnavailableException.notPermitted(program, result.exitCode(), result.output());
        }
        FpingReport report = FpingReport.read(result.output());
        Map<Ipv4Address, EchoResult> results = new LinkedHashMap<>();
        for (Ipv4Address address : addresses) {
            results.put(address, resultFor(address, report, result.exitCode()));
        }
        return results;
    }

    private EchoResult resultFor(Ipv4Address address, FpingReport report, int exitCode) {
        IcmpProbe probe;
        try {
            probe = report.probe(address.toString());
        } catch (IllegalArgumentException e) {
            return EchoResult.failed(new IllegalStateException(program + " exited " + exitCode + ": " + e.getMessage(), e));
        }
        if (exitCode > SOME_UNREACHABLE) {
            return EchoResult.failed(new IllegalStateException(program + " exited " + exitCode + " probing " + address));
        }
        int unsent = report.unsent(address.toString());
        if (probe.received() == 0 && unsent > 0) {
            return EchoResult.failed(new ProbeFailedException("this host refused to send " + unsent + " of "
                    + probe.sent() + " ICMP echoes to " + address + " (local firewall or routing)", null));
        }
        return EchoResult.of(probe);
    }
}
