package org.vlab.ipam.agent.reconcile;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.domain.ConnPort;

/**
 * What one full sync makes of its failed attempts, and so whether it tries again at once. A
 * transient failure (the xtables lock, a timeout) changes nothing and is left to the sync
 * loop's retry; a jump that vanished between read and write is read again, a few times. A
 * refusal on a line of a new command is tried once more without that mapping: if the rest
 * commits, only that command fails. The same refusal on a second mapping, a refusal on a line
 * no mapping owns, a refusal on a mapping that came from a snapshot or was committed before,
 * and a firewall program that cannot run are host-wide: the kernel keeps what it holds, every
 * mapping keeps its state, the gateway is degraded until a sync commits.
 */
final class FullSyncFailures {

    // these lines report the full sync: under FirewallSync's name, where operators and log filters look for them
    private static final Logger log = LoggerFactory.getLogger(FirewallSync.class);
    private static final int EXCERPT_CONTEXT = 3;
    /** Re-reads after a jump the agent wanted to delete was gone by the time it wrote. */
    private static final int VANISHED_JUMP_RETRIES = 2;

    private final PortLedger ledger;
    private final Firewall firewall;
    private final GatewayCondition condition;
    /** New commands' mappings whose rules were refused, with the refusal: the next attempts go without them. */
    private final Map<ConnPort, String> leftOut = new HashMap<>();
    /** The refusals so far, without line numbers: the same one on a second mapping is host-wide. */
    private final Set<String> refusals = new HashSet<>();
    private int vanishedJumps;

    FullSyncFailures(PortLedger ledger, Firewall firewall, GatewayCondition condition) {
        this.ledger = ledger;
        this.firewall = firewall;
        this.condition = condition;
    }

    /** The forwardings of {@code wanted} an attempt writes: all but those left out. */
    List<ForwardedPort> withoutLeftOut(List<ForwardedPort> wanted) {
        return wanted.stream().filter(port -> !leftOut.containsKey(port.connPort())).toList();
    }

    /** The attempt of {@code view} committed: the commands whose mappings it left out are failed. */
    void committed(SyncView view) {
        leftOut.forEach((port, reason) -> ledger.mappingFailed(port, view, reason));
    }

    /**
     * An attempt failed with {@code e}, writing {@code script} (null when it failed before, on
     * the read); returns whether to attempt again at once.
     */
    boolean tryAgain(FirewallException e, RestoreScript script, SyncView view) {
        Optional<String> failedLine = lineOf(script, e);
        if (e.kind() == Kind.TRANSIENT) {
            log.warn("firewall sync failed for now and will be retried; changes stay pending: {}", e.reason());
            return false;
        }
        if (failedLine.filter(line -> line.startsWith("-D ")).isPresent()) {
            if (++vanishedJumps <= VANISHED_JUMP_RETRIES) {
                log.info("a jump into the agent's chains vanished between read and write; reading again");
                return true;
            }
            log.warn("jumps into the agent's chains keep changing under it; retrying later: {}", e.reason());
            return false;
        }
        Optional<ConnPort> culprit = failedLine.isEmpty() ? Optional.empty() : script.mappingAt(e.line().getAsInt());
        String refusal = withoutLineNumbers(e.reason());
        if (culprit.isEmpty() || refusals.contains(refusal) || !ledger.mayFail(culprit.get(), view)) {
            String why = culprit.isEmpty() ? "on a line no mapping owns, or without naming a line"
                    : refusals.contains(refusal) ? "the same way on more than one mapping"
                    : "on connection port " + culprit.get() + ", which is committed or from the API's snapshot";
            log.error("gateway degraded: {} refused the agent's rules {}; the kernel keeps what it holds, "
                    + "every mapping keeps its state, and the sync is retried: {}", firewall.program(), why,
                    e.reason());
            condition.degraded(e.reason());
            return false;
        }
        log.error("{} refused the rules of connection port {}; trying once without them: {}", firewall.program(),
                culprit.get(), e.reason());
        leftOut.put(culprit.get(), e.reason());
        refusals.add(refusal);
        return true;
    }

    /** The transaction's line the firewall named, logged with its neighbours; empty when it named none. */
    private Optional<String> lineOf(RestoreScript script, FirewallException e) {
        if (script == null || e.line().isEmpty()) {
            return Optional.empty();
        }
        int line = e.line().getAsInt();
        log.error("{} failed at line {} of its input:\n{}", firewall.program(), line,
                script.excerpt(line, EXCERPT_CONTEXT));
        return script.lineAt(line);
    }

    /** The refusal without the line number, so the same refusal on two lines compares equal. */
    static String withoutLineNumbers(String reason) {
        return reason.replaceAll("\\bline:? \\d+", "line");
    }
}
