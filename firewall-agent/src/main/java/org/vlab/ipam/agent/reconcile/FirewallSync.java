package org.vlab.ipam.agent.reconcile;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.firewall.Conntrack;
import org.vlab.ipam.agent.firewall.Firewall;
import org.vlab.ipam.agent.firewall.FirewallException;
import org.vlab.ipam.agent.firewall.FirewallException.Kind;
import org.vlab.ipam.agent.firewall.Iptables;
import org.vlab.ipam.agent.firewall.IptablesFirewall;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.RuleBuilder;

/**
 * One sync: make the kernel hold exactly what the ledger wants, through the configured
 * {@link Firewall} backend. A full sync reads the agent's part of the firewall back; when it is
 * what the last commit left, only the changes since are written, and when it differs (drift, or
 * nothing known since start or a failure) the whole rule set is rendered and applied in one
 * transaction (iptables-restore or nft -f). Between full syncs the agent knows what the
 * kernel holds, so a sync of changes writes only the changed mappings' rules (see
 * {@link KernelMappings}), at a cost that does not grow with the number of mappings; any
 * failure of it falls back to a full sync. Failures are classified (see {@link FullSyncFailures}):
 * only a new command whose own lines iptables refuses, while the rest commits without it, is
 * failed. After a commit, the tracked connections of every forwarding it removed or re-targeted
 * are deleted. The reconciler's full syncs use a read taken off the loop ({@link #readAhead}).
 */
public final class FirewallSync {

    private static final Logger log = LoggerFactory.getLogger(FirewallSync.class);

    private final PortLedger ledger;
    private final Firewall firewall;
    private final Conntrack conntrack;
    private final GatewayCondition condition;
    /** What the kernel holds since the last commit; unknown at start and after any failure, when only a full sync helps. */
    private KernelMappings held = KernelMappings.UNKNOWN;
    private volatile int ruleCount;
    private volatile long transactions;
    /** Whether the kernel held the desired state once since start: differences after that are drift. */
    private volatile boolean synced;
    /** Held by the loop through each sync; a read ahead takes it only to copy what the last commit left. */
    private final Object syncing = new Object();
    /** Firewall writes begun (committed or not), counted by the loop: what tells whether a read ahead is current. */
    private volatile long writes;
    private final KernelReadAhead readsAhead;
    /** What the recent writes left, for a read ahead that writes overlapped; changed by the loop only. */
    private final WriteJournal journal = new WriteJournal();
    /** Full syncs in a row that checked nothing because a write overtook their read ahead. */
    private int overtaken;
    /**
     * Forwardings a failed sync of changes was closing: iptables commits table by table, so their
     * DNAT rules may be gone already, and the full sync that follows would not see them to end
     * their sessions. It ends them once it committed without them.
     */
    private final Set<ForwardedPort> sessionsLeftOpen = new LinkedHashSet<>();

    public FirewallSync(PortLedger ledger, Iptables iptables, RuleBuilder builder, GatewayCondition condition,
            Conntrack conntrack) {
        this(ledger, new IptablesFirewall(iptables, builder), condition, conntrack);
    }

    public FirewallSync(PortLedger ledger, Firewall firewall, GatewayCondition condition, Conntrack conntrack) {
        this.ledger = ledger;
        this.firewall = firewall;
        this.condition = condition;
        this.conntrack = conntrack;
        this.readsAhead = new KernelReadAhead(firewall, this::lastCommit, () -> writes, this::statesAfter);
    }

    /**
     * Runs one sync; returns whether the kernel now holds the desired state. Only the sync loop
     * calls it. Unless {@code full} is asked for (or the kernel's content is unknown), only the
     * changes are written; a transient failure of that is retried as a full sync, and any other
     * failure makes this sync go on as a full one, which reads the kernel back and decides what
     * a failure of its own means as {@link FullSyncFailures} says. A full sync whose read ahead
     * does not count checks nothing and writes only the changes (see {@link #readAhead}).
     */
    boolean sync(boolean full) {
        synchronized (syncing) {
            return syncHoldingTheLock(full);
        }
    }

    private boolean syncHoldingTheLock(boolean full) {
        KernelReadAhead.Read read = full ? readsAhead.claim() : null;
        if (!ledger.knowsDesiredState()) {
            // before the first snapshot the agent does not know what the firewall should hold: it touches nothing
            return true;
        }
        Firewall.KernelState observed = null;
        boolean check = full;
        // whether the kernel is known to hold what the agent's last commit left: nothing drifted
        boolean asLeft = false;
        if (full && read != null && read.writesBefore() == writes) {
            observed = read.state();
            firewall.adopt(observed);
            Boolean verdict = read.holdsWhatWasLeft();
            asLeft = held.known() && (verdict != null ? verdict : observed.holds(List.copyOf(held.forwards())));
            overtaken = 0;
        } else if (full && held.known() && read != null && read.conclusive() && read.holdsWhatWasLeft() != null) {
            // writes came since (after the read, or during one of nftables whose writes are all known): nothing had
            // drifted then and what came since committed, or the read showed drift, and the full sync reads again
            asLeft = read.holdsWhatWasLeft();
            overtaken = 0;
        } else if (full && held.known()) {
            if (read != null && overtaken < OVERTAKEN_MAX) {
                // the read may show some of the writes that came while it ran (or the agent knew nothing of what it
                // left when it was taken): it proves nothing
                overtaken++;
                check = false;
                log.info("a transaction overtook the read of the kernel taken ahead of this full sync, which checks "
                        + "nothing ({} in a row; after {} the next reads on the sync loop)", overtaken, OVERTAKEN_MAX);
            } else {
                if (read != null) {
                    log.info("{} full syncs in a row were overtaken while reading ahead: reading the kernel on the "
                            + "sync loop", overtaken);
                }
                observed = readOrNull();
                asLeft = observed != null && observed.holds(List.copyOf(held.forwards()));
                overtaken = 0;
            }
        }
        if (held.known() && (!check || asLeft)) {
            Optional<Boolean> applied = syncChanges();
            if (applied.isPresent()) {
                if (full) {
                    lookAtHost(read);
                }
                return applied.get();
            }
            // refused: the kernel is read again, since the read above came before that attempt
            return syncAll(null, read);
        }
        return syncAll(observed, read);
    }

    /**
     * Reads the kernel back for the next full sync, and looks at the host, on the calling thread
     * (the reconciler's) instead of the sync loop's, as {@link KernelReadAhead} says. The full
     * sync uses the read when no write began since it copied what the last commit left. When
     * writes did, it still takes the read's word if the read counts: nothing had drifted then
     * (and what came since committed), or it had, and the full sync reads again to repair it. If
     * no read counts, that full sync checks nothing and writes only the changes. After
     * {@value #OVERTAKEN_MAX} of those in a row (a gateway that never pauses) the next one reads
     * on the loop, so drift is found within that many periods more whatever the load.
     */
    public void readAhead() {
        readsAhead.take();
    }

    /** Full syncs in a row that may leave the check to the next because a write overtook their read ahead. */
    static final int OVERTAKEN_MAX = 3;

    /** What the writes after {@code copy} left, once the sync under way is done (the loop holds the lock through it). */
    private Optional<List<List<ForwardedPort>>> statesAfter(KernelReadAhead.LastCommit copy, long upTo) {
        synchronized (syncing) {
            return journal.statesAfter(copy.left(), copy.writes(), upTo);
        }
    }

    /** What the last commit left, copied between two syncs (the loop holds the lock through each). */
    private KernelReadAhead.LastCommit lastCommit() {
        synchronized (syncing) {
            return new KernelReadAhead.LastCommit(writes, held.known() ? List.copyOf(held.forwards()) : null);
        }
    }

    /**
     * For a full sync while the agent knows what it left in the kernel: the kernel read back, or
     * null when it cannot be read (the full sync then reads again and classifies the failure).
     * When the kernel holds exactly what was left, nothing drifted and the changes since go in
     * as a sync of changes would write them; rewriting every mapping instead held up the commands
     * that came meanwhile (with 4,300 mappings, 13,000 rules: 1.1 s, every reconcile period, in a
     * burst of creates). Otherwise the full sync rewrites from this same read.
     */
    private Firewall.KernelState readOrNull() {
        try {
            return firewall.read();
        } catch (FirewallException e) {
            return null;
        }
    }

    /**
     * Writes only what changed since the last commit: one transaction deleting the closed
     * forwardings' rules by their exact text (nftables: their elements) and appending the opened
     * ones'. Returns empty when the firewall refused it (a rule or element not where the agent
     * left it, a refused new one): the kernel is then read back and written whole.
     */
    private Optional<Boolean> syncChanges() {
        SyncView view = ledger.beginChanges();
        KernelMappings.Change change = held.changeAt(view.changes().keySet(), view.wanted());
        if (!change.isEmpty()) {
            RestoreScript script = firewall.changeScript(change.closed(), change.opened(), held::holds);
            try {
                write(script, true);
            } catch (FirewallException e) {
                held = KernelMappings.UNKNOWN;
                sessionsLeftOpen.addAll(change.closed());
                if (e.kind() == Kind.TRANSIENT) {
                    condition.failed(e.kind());
                    log.warn("firewall sync failed for now and will be retried; changes stay pending: {}", e.reason());
                    return Optional.of(false);
                }
                log.warn("{} refused the changes of {} mappings; reading the firewall back for a full sync: {}",
                        firewall.program(), change.size(), e.reason());
                return Optional.empty();
            }
            journal.changed(writes, change);
            transactions++;
            log.info("{} transaction {} committed: {} mappings changed, {} changes settled", firewall.program(),
                    transactions, change.size(), view.uncommitted().size());
            conntrack.closeSessions(change.closed());
        }
        held.apply(change);
        ledger.committed(view);
        ruleCount += firewall.ruleCount(change.opened()) - firewall.ruleCount(change.closed());
        condition.ok();
        return Optional.of(true);
    }

    /**
     * The full sync: read back (the first time, {@code readJustNow} unless null), compare, and if
     * anything differs write the whole rule set; then look at the host, as {@code ahead} saw it
     * unless null.
     */
    private boolean syncAll(Firewall.KernelState readJustNow, KernelReadAhead.Read ahead) {
        Firewall.KernelState notYetUsed = readJustNow;
        held = KernelMappings.UNKNOWN;
        FullSyncFailures failures = new FullSyncFailures(ledger, firewall, condition);
        while (true) {
            SyncView view = ledger.beginSync();
            List<ForwardedPort> wanted = failures.withoutLeftOut(view.wanted());
            RestoreScript script = null;
            try {
                Firewall.KernelState observed = notYetUsed != null ? notYetUsed : firewall.read();
                notYetUsed = null;
                List<ForwardedPort> ended = List.of();
                if (!observed.holds(wanted)) {
                    if (transactions == 0 && !synced) {
                        log.info("taking over the firewall ({}); writing the agent's chains",
                                observed.differenceFrom(wanted));
                    } else if (!view.changesAnything()) {
                        // each comparison walks the whole table: the account is worked out once
                        String difference = observed.differenceFrom(wanted);
                        if (observed.drifted(wanted)) {
                            log.warn("the firewall drifted from the desired state ({}); rewriting the agent's chains",
                                    difference);
                        } else {
                            log.info("rewriting the agent's chains to clear what earlier changes left ({})", difference);
                        }
                    }
                    script = observed.scriptTo(wanted);
                    write(script, false);
                    journal.rewrote(writes, wanted);
                    transactions++;
                    log.info("{} transaction {} committed: {} mappings, {} rules, {} changes settled", firewall.program(),
                            transactions, wanted.size(), firewall.ruleCount(wanted),
                            view.uncommitted().size());
                    // the ESTABLISHED accept would keep sessions of what is no longer forwarded alive: end them
                    ended = observed.forwardsNotIn(wanted);
                }
                closeSessions(ended, wanted);
                failures.committed(view);
                ledger.committed(view);
                held = KernelMappings.of(wanted);
                ruleCount = firewall.ruleCount(wanted);
                synced = true;
                condition.ok();
                lookAtHost(ahead);
                return true;
            } catch (FirewallException e) {
                condition.failed(e.kind());
                if (!failures.tryAgain(e, script, view)) {
                    return false;
                }
            }
        }
    }

    /** Ends the sessions of {@code ended} and of what a failed sync of changes was closing, unless {@code wanted}. */
    private void closeSessions(List<ForwardedPort> ended, List<ForwardedPort> wanted) {
        if (sessionsLeftOpen.isEmpty()) {
            if (!ended.isEmpty()) {
                conntrack.closeSessions(ended);
            }
            return;
        }
        Set<ForwardedPort> closing = new LinkedHashSet<>(ended);
        closing.addAll(sessionsLeftOpen);
        closing.removeAll(Set.copyOf(wanted));
        sessionsLeftOpen.clear();
        conntrack.closeSessions(closing);
    }

    /** One transaction, counted for {@link #readAhead}: a whole rule set, or only changes. */
    private void write(RestoreScript script, boolean changes) throws FirewallException {
        writes++;
        if (changes) {
            firewall.applyChanges(script);
        } else {
            firewall.apply(script);
        }
    }

    /**
     * After a full sync: whether the host's own firewall drops what the agent's rules accept, as
     * the read {@code ahead} saw it (the agent never writes the host's own chains, so what it saw
     * holds whatever came since), or as it is now when there was none; the gateway is degraded
     * while it does, and the log says so when that changes.
     */
    private void lookAtHost(KernelReadAhead.Read ahead) {
        String problem = (ahead != null ? ahead.hostProblem() : firewall.hostProblem()).orElse(null);
        if (condition.host(problem)) {
            if (problem != null) {
                log.error("gateway degraded: {}", problem);
            } else {
                log.info("the host's firewall no longer drops what the agent's rules accept");
            }
        }
    }

    /** Rules in the agent's chains after the last committed sync. */
    public int ruleCount() {
        return ruleCount;
    }

    /** Firewall transactions committed since start. */
    public long transactions() {
        return transactions;
    }

    static Duration backoff(int failures, Duration max) {
        Duration delay = Duration.ofSeconds(1L << Math.min(failures, 10));
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
