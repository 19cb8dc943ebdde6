package org.vlab.ipam.agent.firewall;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;

/** Runs a program with an argument array (never through a shell), feeding it stdin and collecting its output. */
public interface CommandRunner {

    Completed run(List<String> command, String stdin, Duration timeout) throws IOException;

    /**
     * Runs a firewall program: one that timed out failed {@link Kind#TRANSIENT}, one that could
     * not run at all {@link Kind#UNAVAILABLE}.
     */
    default Completed runFirewall(List<String> command, String stdin, Duration timeout) throws FirewallException {
        try {
            return run(command, stdin, timeout);
        } catch (CommandTimedOutException e) {
            throw new FirewallException(Kind.TRANSIENT, e.getMessage(), null, e);
        } catch (IOException e) {
            throw new FirewallException(Kind.UNAVAILABLE, "could not run " + command.get(0) + ": " + e.getMessage(),
                    null, e);
        }
    }

    /** A finished run: exit code and both output streams. */
    record Completed(int exitCode, String stdout, String stderr) {
    }
}
