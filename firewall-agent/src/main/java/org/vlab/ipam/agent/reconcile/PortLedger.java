package org.vlab.ipam.agent.reconcile;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.reconcile.PortRecord.Origin;
import org.vlab.ipam.agent.reconcile.PortRecord.Status;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapRequested.Action;
import org.vlab.ipam.events.SnapshotTaken;

/**
 * The desired state, port by port, ordered by generation: a change is recorded only if it is
 * newer than what the ledger knows for its port, so duplicates and reordered commands are
 * harmless. Commands and snapshots both feed it; a snapshot never undoes a newer command that
 * may have raced it, but one asked for after a command came is the API's word on it (the API
 * records a change before it publishes the command), so a command newer than that snapshot was
 * never the API's and goes. Thread-safe; the sync loop renders from it and reports back what
 * the kernel committed.
 */
public final class PortLedger {

    private static final Logger log = LoggerFactory.getLogger(PortLedger.class);

    /** What became of an offered command. */
    public enum Offer {
        /** Newer than anything known for its port: recorded, a sync will settle it. */
        NEW,
        /** The change already recorded for its port: answer it again once settled. */
        DUPLICATE,
        /** Older than what is known for its port: ignored, not answered. */
        STALE
    }

    private final ChangeAnswers answers;
    private final PortRecords records = new PortRecords();
    private final PolicyRecheck recheck = new PolicyRecheck(records);
    /** Generation of the newest merged snapshot; a port it does not list has no mapping up to there. */
    private long snapshotGeneration = -1;
    private long appliedGeneration;
    /** Commands recorded so far, and when (in that count) each port's command record came. */
    private long commandsRecorded;
    private final Map<ConnPort, Long> commandArrival = new HashMap<>();

    public PortLedger(GatewayId gateway) {
        this.answers = new ChangeAnswers(gateway);
    }

    /**
     * Records a command unless it is a duplicate or stale; {@code check} gives the agent's
     * refusal of it, if any, and is asked only for a command that is recorded.
     */
    public synchronized Offer offer(PortMapRequested command, Supplier<Optional<String>> check) {
        PortRecord current = records.get(command.connPort());
        if (current != null && command.generation() == current.generation()) {
            // same generation, other action: a snapshot showed this change is gone already
            return command.action() == current.action() ? Offer.DUPLICATE : Offer.STALE;
        }
        // the API recorded every change up to the snapshot's generation before it took the snapshot,
        // so a change the snapshot does not show for this port was undone there (or replaced)
        long known = current != null ? Math.max(current.generation(), snapshotGeneration) : snapshotGeneration;
        if (command.generation() <= known) {
            return Offer.STALE;
        }
        Optional<String> refusal = check.get();
        ForwardedPort forward = command.action() == Action.CREATE && refusal.isEmpty()
                ? ForwardedPort.of(command.connPort(), command.target()) : null;
        records.put(command.connPort(), PortRecord.change(command.generation(), command.action(), forward,
                Origin.COMMAND, refusal.orElse(null)));
        commandArrival.put(command.connPort(), ++commandsRecorded);
        return Offer.NEW;
    }

    /**
     * Marks the moment a snapshot is asked for: pass the mark to {@link #merge(SnapshotTaken,
     * TargetPolicy, long)} with the snapshot that answers, so the commands that came before it are
     * held to it.
     */
    public synchronized long snapshotAsked() {
        return commandsRecorded;
    }

    /** Whether {@code record}, from a command that came before the snapshot asked for at {@code asked}, must show in it. */
    private boolean cameBefore(ConnPort port, PortRecord record, long asked) {
        return record.origin() == Origin.COMMAND && commandArrival.getOrDefault(port, Long.MAX_VALUE) <= asked;
    }

    /** The answer to a command once its change has settled; empty while unsettled, or when a newer change replaced it. */
    public synchronized Optional<IpamMessage> answerFor(PortMapRequested command, Instant now) {
        return answers.toCommand(command, records.get(command.connPort()), now);
    }

    /**
     * Merges a snapshot, the API's truth up to its generation: each listed mapping replaces the
     * ledger's record (checked by {@code policy} like a command) unless the record is that very
     * change or newer than the snapshot, so an entry older than the record (the API undid a
     * change whose command the agent saw) is adopted; a port it does not list whose record is
     * not newer than the snapshot has no mapping any more. Returns whether this was the first.
     */
    public synchronized boolean merge(SnapshotTaken snapshot, TargetPolicy policy) {
        return merge(snapshot, policy, Long.MIN_VALUE);
    }

    /**
     * {@link #merge(SnapshotTaken, TargetPolicy)}, for a snapshot asked for at {@code asked}
     * ({@link #snapshotAsked}): a record of a command that came before then and is newer than the
     * snapshot is a generation the API never issued (a forged command, say), and the snapshot's
     * word replaces it as it would an older record.
     */
    public synchronized boolean merge(SnapshotTaken snapshot, TargetPolicy policy, long asked) {
        boolean first = snapshotGeneration < 0;
        if (snapshot.generation() < snapshotGeneration) {
            // generations never go back unless the API lost its state: its snapshot is the truth now
            log.warn("the API's generation went back from {} to {} (was its state reset?); adopting its snapshot",
                    snapshotGeneration, snapshot.generation());
            records.clear();
            snapshotGeneration = -1;
        }
        Set<ConnPort> listed = new HashSet<>();
        for (MappingSnapshot mapping : snapshot.mappings()) {
            listed.add(mapping.connPort());
            PortRecord current = records.get(mapping.connPort());
            if (current != null && current.generation() == mapping.generation()) {
                recheck.listed(mapping, current, policy);
                continue;
            }
            if (current != null && current.generation() > snapshot.generation()
                    && !neverIssued(mapping.connPort(), current, snapshot, asked)) {
                continue;
            }
            if (current != null && current.generation() > mapping.generation()) {
                log.info("the API undid change {} of port {} (its snapshot shows generation {}); adopting the snapshot's",
                        current.generation(), mapping.connPort(), mapping.generation());
            }
            if (mapping.state().wantedOnGateway()) {
                Optional<String> refusal = policy.refusal(Action.CREATE, mapping.connPort(), mapping.target());
                refusal.ifPresent(reason -> PolicyRecheck.refusing(mapping, reason));
                ForwardedPort forward = refusal.isEmpty() ? ForwardedPort.of(mapping.connPort(), mapping.target()) : null;
                records.put(mapping.connPort(), PortRecord.change(mapping.generation(), Action.CREATE, forward,
                        Origin.SNAPSHOT, refusal.orElse(null)));
            } else {
                records.put(mapping.connPort(), PortRecord.change(mapping.generation(), Action.REMOVE, null,
                        Origin.SNAPSHOT, null));
            }
        }
        Map<ConnPort, PortRecord> unlisted = new HashMap<>();
        records.forEach((port, record) -> {
            if (!listed.contains(port) && (record.generation() <= snapshot.generation()
                    || neverIssued(port, record, snapshot, asked))) {
                unlisted.put(port, record);
            }
        });
        unlisted.forEach((port, record) -> {
            if (record.generation() > snapshot.generation()) {
                // its generation would otherwise outrank every command the API sends for the port
                records.put(port, PortRecord.change(snapshot.generation(), Action.REMOVE, null, Origin.SNAPSHOT, null));
            } else if (record.wanted()) {
                records.put(port, record.asRemoval());
            } else if (record.status() != Status.UNCOMMITTED) {
                records.remove(port); // settled and gone at the API: the snapshot generation now says so
            }
        });
        snapshotGeneration = Math.max(snapshotGeneration, snapshot.generation());
        return first;
    }

    /** Without a fresh snapshot: the forwardings held that the policy refuses now lose their rules (see {@link PolicyRecheck#held}). */
    public synchronized void checkHeld(TargetPolicy policy) {
        recheck.held(policy);
    }

    /** A command record newer than a snapshot asked for after it came: the API never issued that generation. */
    private boolean neverIssued(ConnPort port, PortRecord record, SnapshotTaken snapshot, long asked) {
        boolean never = record.generation() > snapshot.generation() && cameBefore(port, record, asked);
        if (never) {
            log.warn("the command of generation {} for port {} came before the snapshot, which is at generation {}: "
                    + "the API never issued it; adopting the snapshot's", record.generation(), port,
                    snapshot.generation());
        }
        return never;
    }

    /**
     * What to tell the API after a committed sync that followed {@link #merge}: pending mappings
     * now in the firewall are applied, refused ones failed, removing or failed ones now absent are
     * removed (with the snapshot's reason, such as {@code expired}); so the API settles even when
     * earlier answers were lost.
     */
    public synchronized List<IpamMessage> settle(SnapshotTaken snapshot, Instant now) {
        List<IpamMessage> settled = answers.afterSnapshot(snapshot, records::get, now);
        for (IpamMessage answer : settled) {
            if (answer instanceof PortMapFailed failed) {
                PortRecord record = records.get(failed.connPort());
                if (record != null && record.generation() == failed.generation() && record.status() == Status.FAILED) {
                    // a mapping the API keeps (refused after it was applied) is offered again at every reconcile
                    records.told(failed.connPort(), record);
                }
            }
        }
        return settled;
    }

    /** Whether the change a command asks for has settled (committed or failed), so it can be answered now. */
    public synchronized boolean isSettled(PortMapRequested command) {
        PortRecord record = records.get(command.connPort());
        return record == null || record.generation() != command.generation() || record.status() != Status.UNCOMMITTED;
    }

    /** Whether a snapshot has been merged: only then does the ledger know the whole desired state. */
    public synchronized boolean knowsDesiredState() {
        return snapshotGeneration >= 0;
    }

    /** The newest generation the kernel is known to reflect. */
    public synchronized long appliedGeneration() {
        return appliedGeneration;
    }

    synchronized SyncView beginSync() {
        return records.fullView(Math.max(snapshotGeneration, 0));
    }

    /**
     * A view of the ports changed since a committed sync last saw them, for a sync that writes
     * only the difference: its cost follows the number of changes, not of mappings. Ports whose
     * unchanged records were committed are settled and within the generation already applied.
     */
    synchronized SyncView beginChanges() {
        return records.changesView(Math.max(Math.max(snapshotGeneration, 0), appliedGeneration));
    }

    /** How many ports changed since a committed sync last saw them. */
    synchronized int changedPorts() {
        return records.changedPorts();
    }

    /** The kernel now holds what {@code view} rendered. */
    synchronized void committed(SyncView view) {
        for (ConnPort port : view.uncommitted()) {
            PortRecord record = records.get(port);
            if (record != null && record.generation() == view.generations().get(port)
                    && record.status() == Status.UNCOMMITTED) {
                records.commit(port, record);
            }
        }
        appliedGeneration = Math.max(appliedGeneration, view.generation());
        records.committed(view);
    }

    /**
     * Whether an iptables refusal of this port's rules may fail the mapping: only a create the
     * agent got as a command and has not committed, so the user who asked learns of it. A
     * mapping from a snapshot, or one the kernel held before, is never failed by iptables.
     */
    synchronized boolean mayFail(ConnPort port, SyncView view) {
        PortRecord record = records.get(port);
        return record != null && record.generation() == view.generations().getOrDefault(port, -1L)
                && record.status() == Status.UNCOMMITTED && record.origin() == Origin.COMMAND
                && record.action() == Action.CREATE;
    }

    /** iptables refused this new command's rules and the rest committed without them: the mapping is failed. */
    synchronized void mappingFailed(ConnPort port, SyncView view, String reason) {
        if (mayFail(port, view)) {
            records.put(port, records.get(port).with(Status.FAILED, reason));
        }
    }
}
