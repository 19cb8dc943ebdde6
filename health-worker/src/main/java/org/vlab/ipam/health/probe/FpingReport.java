package org.vlab.ipam.health.probe;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vlab.ipam.events.IcmpProbe;
import org.vlab.ipam.events.ProbeOutcome;

/**
 * Reads what {@code fping -c N <address>} printed into an {@link IcmpProbe}. The summary line
 * ({@code 10.0.0.5 : xmt/rcv/%loss = 3/2/33%, min/avg/max = 0.04/0.05/0.06}) gives the counts
 * and the mean round trip; an ICMP error line ({@code ICMP Host Unreachable from ... for ICMP
 * Echo sent to ...}) tells an unreachable host from a silent one. The statistics of {@code -s}
 * tell echoes that left from echoes the kernel refused to send: in count mode fping prints no
 * word about a failed {@code sendto} (EPERM from the local firewall, no route), it only counts
 * the echo as sent and neither answered nor timed out.
 */
final class FpingReport {

    private static final Pattern SUMMARY = Pattern.compile(
            "^(\\S+) : xmt/rcv/%loss = (\\d+)/(\\d+)/\\d+%(?:, min/avg/max = [\\d.]+/([\\d.]+)/[\\d.]+)?\\s*$",
            Pattern.MULTILINE);
    private static final Pattern TIMEOUTS = Pattern.compile("^\\s*(\\d+) timeouts \\(waiting for response\\)", Pattern.MULTILINE);
    private static final Pattern OTHER_ICMP = Pattern.compile("^\\s*(\\d+) other ICMP received", Pattern.MULTILINE);
    private static final Pattern ICMP_ERROR = Pattern.compile("^ICMP .+ from \\S+ for ICMP Echo sent to (\\S+)",
            Pattern.MULTILINE);

    private FpingReport() {
    }

    /**
     * The probe fping reported for {@code address}.
     *
     * @throws IllegalArgumentException when the output holds no summary for that address
     */
    static IcmpProbe parse(String address, String output) {
        Matcher summary = SUMMARY.matcher(output);
        while (summary.find()) {
            if (!summary.group(1).equals(address)) {
                continue;
            }
            int sent = Integer.parseInt(summary.group(2));
            int received = Integer.parseInt(summary.group(3));
            if (received > 0) {
                return new IcmpProbe(ProbeOutcome.ANSWERED, sent, received,
                        summary.group(4) == null ? null : Double.valueOf(summary.group(4)));
            }
            return new IcmpProbe(icmpErrorFor(address, output) ? ProbeOutcome.UNREACHABLE : ProbeOutcome.TIMED_OUT,
                    sent, 0, null);
        }
        throw new IllegalArgumentException("fping printed no summary for " + address + ": " + output.strip());
    }

    /**
     * How many of {@code sent} echoes the kernel refused to send, for a single-address run with
     * {@code -s}: those that drew no reply, no timeout and no ICMP message; 0 when the statistics
     * are missing.
     */
    static int unsent(String output, IcmpProbe probe) {
        Matcher timeouts = TIMEOUTS.matcher(output);
        Matcher other = OTHER_ICMP.matcher(output);
        if (!timeouts.find() || !other.find()) {
            return 0;
        }
        int accounted = probe.received() + Integer.parseInt(timeouts.group(1)) + Integer.parseInt(other.group(1));
        return Math.max(0, probe.sent() - accounted);
    }

    private static boolean icmpErrorFor(String address, String output) {
        Matcher error = ICMP_ERROR.matcher(output);
        while (error.find()) {
            if (error.group(1).equals(address)) {
                return true;
            }
        }
        return false;
    }
}
