package org.vlab.ipam.health.probe;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.events.IcmpProbe;

/**
 * ICMP echo through Debian's {@code fping}, one process per address, started with an argument
 * array (never a shell). fping holds the NET_RAW capability as a file capability, so the JVM
 * needs no privilege of its own and the capability can be granted to the container alone. Java
 * has no portable way to send ICMP ({@code InetAddress.isReachable} silently falls back to a
 * TCP connect to port 7 without privilege), which is why a process is worth its start-up cost.
 */
final class FpingIcmpProber implements IcmpProber {

    /** Spacing of the echoes to one address: a LAN answers within it, and a cycle stays short. */
    static final Duration ECHO_SPACING = Duration.ofMillis(100);
    /** fping's own exit code for a failed system call, such as opening a raw socket without NET_RAW. */
    static final int SYSTEM_CALL_FAILED = 4;
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
     * The command for one address: N echoes spaced {@link #ECHO_SPACING} apart, each awaited for
     * the probe timeout, with the statistics ({@code -s}) that tell a refused send.
     */
    List<String> command(Ipv4Address address) {
        return List.of(program, "-s", "-c", Integer.toString(echoes), "-p", Long.toString(ECHO_SPACING.toMillis()),
                "-t", Long.toString(Math.max(1, timeout.toMillis())), address.toString());
    }

    /** How long one probe may take at most: the echoes' spacing, the last echo's timeout, and start-up. */
    Duration deadline() {
        return ECHO_SPACING.multipliedBy(echoes - 1L).plus(timeout).plus(START_ALLOWANCE);
    }

    /**
     * @throws IcmpUnavailableException when fping cannot be started or may not open its socket
     * @throws ProbeFailedException when this host failed the probe: fping did not finish in
     *         time, or the kernel refused to send the echoes (local firewall, no route)
     * @throws IllegalStateException when fping failed otherwise (its output is in the message)
     */
    @Override
    public IcmpProbe echo(Ipv4Address address) {
        ProcessRunner.Result result;
        try {
            result = runner.run(command(address), deadline());
        } catch (IOException e) {
            throw IcmpUnavailableException.cannotStart(program, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing " + address, e);
        }
        if (result.killed()) {
            // Its own timeouts end it well before the deadline: a slow host is not the target's silence.
            throw new ProbeFailedException(program + " did not finish within " + deadline().toMillis() + " ms", null);
        }
        if (result.exitCode() == SYSTEM_CALL_FAILED || IcmpUnavailableException.deniedIn(result.output())) {
            throw IcmpUnavailableException.notPermitted(program, result.exitCode(), result.output());
        }
        IcmpProbe probe;
        try {
            probe = FpingReport.parse(address.toString(), result.output());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(program + " exited " + result.exitCode() + ": " + e.getMessage(), e);
        }
        int unsent = FpingReport.unsent(result.output(), probe);
        if (probe.received() == 0 && unsent > 0) {
            throw new ProbeFailedException("this host refused to send " + unsent + " of " + probe.sent()
                    + " ICMP echoes to " + address + " (local firewall or routing)", null);
        }
        return probe;
    }
}
