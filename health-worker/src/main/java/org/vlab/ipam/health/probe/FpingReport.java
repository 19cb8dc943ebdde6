package org.vlab.ipam.health.probe;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;

/**
 * What one run of {@code fping -s -c N <address>...} printed, read in one pass. Each target's
 * summary line ({@code 10.0.0.5 : xmt/rcv/%loss = 3/2/33%, min/avg/max = 0.04/0.05/0.06}; with
 * several targets the addresses are padded to one width) gives its counts and mean round trip;
 * an ICMP error line ({@code ICMP Host Unreachable from ... for ICMP Echo sent to ...}) tells an
 * unreachable host from a silent one. Echoes the kernel refused to send (EPERM from the local
 * firewall, no route) get no word of their own: fping counts them as sent, and they are neither
 * answered, nor timed out ({@code 10.0.0.5 : [1], timed out}), nor answered by ICMP. The
 * statistics of {@code -s} say whether the run had any such echo at all (more echoes sent than
 * answered or timed out); only then are a target's own lines counted to find its refused echoes.
 */
final class FpingReport {

    private static final Pattern SUMMARY = Pattern.compile(
            "^(\\S+)\\s+: xmt/rcv/%loss = (\\d+)/(\\d+)/\\d+%(?:, min/avg/max = [\\d.]+/([\\d.]+)/[\\d.]+)?\\s*$",
            Pattern.MULTILINE);
    private static final Pattern TIMED_OUT = Pattern.compile("^(\\S+)\\s+: \\[\\d+\\], timed out", Pattern.MULTILINE);
    private static final Pattern TIMEOUTS = Pattern.compile("^\\s*(\\d+) timeouts \\(waiting for response\\)", Pattern.MULTILINE);
    private static final Pattern ICMP_ERROR = Pattern.compile("^ICMP .+ from \\S+ for ICMP Echo sent to (\\S+)",
            Pattern.MULTILINE);

    private final String output;
    private final Map<String, IcmpProbe> probes = new HashMap<>();
    private final Map<String, Integer> icmpErrors = new HashMap<>();
    private final Map<String, Integer> timedOut = new HashMap<>();
    private final boolean refusedAny;

    private FpingReport(String output) {
        this.output = output;
        Matcher error = ICMP_ERROR.matcher(output);
        while (error.find()) {
            icmpErrors.merge(error.group(1), 1, Integer::sum);
        }
        Matcher timeout = TIMED_OUT.matcher(output);
        while (timeout.find()) {
            timedOut.merge(timeout.group(1), 1, Integer::sum);
        }
        int sent = 0;
        int received = 0;
        Matcher summary = SUMMARY.matcher(output);
        while (summary.find()) {
            String address = summary.group(1);
            int xmt = Integer.parseInt(summary.group(2));
            int rcv = Integer.parseInt(summary.group(3));
            sent += xmt;
            received += rcv;
            probes.putIfAbsent(address, rcv > 0
                    ? new IcmpProbe(ProbeOutcome.ANSWERED, xmt, rcv,
                            summary.group(4) == null ? null : Double.valueOf(summary.group(4)))
                    : new IcmpProbe(icmpErrors.containsKey(address) ? ProbeOutcome.UNREACHABLE : ProbeOutcome.TIMED_OUT,
                            xmt, 0, null));
        }
        refusedAny = refusedInRun(output, sent, received);
    }

    /** Reads the output of one run. */
    static FpingReport read(String output) {
        return new FpingReport(output);
    }

    /**
     * The probe fping reported for {@code address}.
     *
     * @throws IllegalArgumentException when the output holds no summary for that address
     */
    IcmpProbe probe(String address) {
        IcmpProbe probe = probes.get(address);
        if (probe == null) {
            throw new IllegalArgumentException("fping printed no summary for " + address + ": " + excerpt());
        }
        return probe;
    }

    /** How many of the address's echoes the kernel refused to send; 0 when the statistics show none was. */
    int unsent(String address) {
        IcmpProbe probe = probes.get(address);
        if (!refusedAny || probe == null) {
            return 0;
        }
        int accounted = probe.received() + timedOut.getOrDefault(address, 0) + icmpErrors.getOrDefault(address, 0);
        return Math.max(0, probe.sent() - accounted);
    }

    /** The probe fping reported for {@code address} in a run's output (see {@link #probe(String)}). */
    static IcmpProbe parse(String address, String output) {
        return read(output).probe(address);
    }

    /**
     * Whether the {@code -s} statistics count echoes neither answered nor timed out (an echo
     * answered by an ICMP error times out too); false without them.
     */
    private static boolean refusedInRun(String output, int sent, int received) {
        Matcher timeouts = TIMEOUTS.matcher(output);
        if (!timeouts.find()) {
            return false;
        }
        return sent - received - Integer.parseInt(timeouts.group(1)) > 0;
    }

    private String excerpt() {
        String text = output.strip();
        return text.length() <= 500 ? text : text.substring(0, 500) + " …";
    }
}
