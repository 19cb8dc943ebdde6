package org.vlab.ipam.agent.reconcile;

import java.time.Duration;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.rules.DesiredRules;
import org.vlab.ipam.agent.rules.ObservedRules;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleBuilder;
import org.vlab.ipam.domain.ConnPort;

/**
 * One sync: make the kernel hold exactly what the ledger wants. It reads the agent's chains
 * back with iptables-save, and only if they differ renders the whole rule set and applies it
 * in one iptables-restore transaction. When iptables names a failing line, the mapping of that
 * line is failed and the transaction retried without it; any other failure fails the commands
 * it carried and leaves everything else for the next sync. After a commit, the tracked
 * connections of every forwarding it removed or re-targeted are deleted.
 */
public final class FirewallSync {

    private static final Logger log = LoggerFactory.getLogger(FirewallSync.class);
    private static final int EXCERPT_CONTEXT = 3;

    private final PortLedger ledger;
    private final Iptables iptables;
    private final RuleBuilder builder;
    private final Conntrack conntrack;
    private volatile int ruleCount;
    private volatile long transactions;
    /** Whether the kernel held the desired state once since start: differences after that are drift. */
    private volatile boolean synced;

    public FirewallSync(PortLedger ledger, Iptables iptables, RuleBuilder builder, Conntrack conntrack) {
        this.ledger = ledger;
        this.iptables = iptables;
        this.builder = builder;
        this.conntrack = conntrack;
    }

    /** Runs one sync; returns whether the kernel now holds the desired state. Only the sync loop calls it. */
    boolean sync() {
        if (!ledger.knowsDesiredState()) {
            // before the first snapshot the agent does not know what the firewall should hold: it touches nothing
            return true;
        }
        // each attempt either commits, or fails one more mapping, so the mappings bound the attempts
        for (int attempt = 0; ; attempt++) {
            SyncView view = ledger.beginSync();
            DesiredRules desired = builder.build(view.wanted());
            RestoreScript script = null;
            try {
                ObservedRules observed = ObservedRules.parse(iptables.save());
                if (observed.matches(desired)) {
                    ledger.committed(view);
                    ruleCount = desired.ruleCount();
                    synced = true;
                    return true;
                }
                if (transactions == 0 && !synced) {
                    log.info("taking over the firewall ({}); writing the agent's chains", observed.differenceFrom(desired));
                } else if (!view.changesAnything()) {
                    log.warn("the firewall drifted from the desired state ({}); rewriting the agent's chains",
                            observed.differenceFrom(desired));
                }
                script = builder.restoreScript(desired, observed);
                iptables.restore(script);
                transactions++;
                synced = true;
                ledger.committed(view);
                ruleCount = desired.ruleCount();
                log.info("iptables-restore transaction {} committed: {} mappings, {} rules, {} changes settled",
                        transactions, view.wanted().size(), desired.ruleCount(), view.uncommitted().size());
                // the ESTABLISHED accept would keep sessions of what is no longer forwarded alive: end them
                conntrack.closeSessions(observed.forwardsNotIn(view.wanted()));
                return true;
            } catch (FirewallException e) {
                ConnPort culprit = culprit(script, e);
                if (culprit == null || attempt > view.wanted().size()) {
                    log.error("firewall transaction failed; {} changes answered as failed: {}",
                            view.uncommitted().size(), e.reason());
                    ledger.transactionFailed(view, e.reason());
                    return false;
                }
                log.error("iptables refused the rules of connection port {}; failing that mapping and retrying without it: {}",
                        culprit, e.reason());
                ledger.mappingFailed(culprit, view, e.reason());
            }
        }
    }

    private static ConnPort culprit(RestoreScript script, FirewallException e) {
        OptionalInt line = e.line();
        if (script == null || line.isEmpty()) {
            return null;
        }
        log.error("iptables-restore failed at line {} of its input:\n{}", line.getAsInt(),
                script.excerpt(line.getAsInt(), EXCERPT_CONTEXT));
        return script.mappingAt(line.getAsInt()).orElse(null);
    }

    /** Rules in the agent's chains after the last committed sync. */
    public int ruleCount() {
        return ruleCount;
    }

    /** iptables-restore transactions committed since start. */
    public long transactions() {
        return transactions;
    }

    static Duration backoff(int failures, Duration max) {
        Duration delay = Duration.ofSeconds(1L << Math.min(failures, 10));
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
