package org.vlab.ipam.agent.reconcile;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.agent.reconcile.PortRecord.Origin;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.PortMapRequested.Action;

/**
 * The policy again for the mappings the ledger holds: the gateway's own addresses and its WAN
 * network change under it (a DHCP lease, an operator's {@code ip addr add}), so a target allowed
 * once may be refused now, and one refused may be allowed again. Each turn is a change of its
 * own, written by the sync that follows and answered as the snapshot asks. Guarded by the
 * ledger's lock.
 */
final class PolicyRecheck {

    // these lines report the ledger's decisions: under its name, where operators look for them
    private static final Logger log = LoggerFactory.getLogger(PortLedger.class);

    private final PortRecords records;

    PolicyRecheck(PortRecords records) {
        this.records = records;
    }

    /**
     * A snapshot lists {@code mapping} at the generation of {@code current}: refused now, it loses
     * its rule (or takes the new reason); allowed again after a refusal the API was told and kept
     * (it still lists the mapping, as wanted), it is applied. A create refused by command that the
     * API released is not applied again from a snapshot taken before the release.
     */
    void listed(MappingSnapshot mapping, PortRecord current, TargetPolicy policy) {
        if (!mapping.state().wantedOnGateway() || !(current.wanted() || current.refusedByPolicy())) {
            return;
        }
        Optional<String> refusal = checked(mapping.connPort(),
                () -> policy.refusal(Action.CREATE, mapping.connPort(), mapping.target()));
        if (refusal == null) {
            return;
        }
        if (refusal.isPresent() && !refusal.get().equals(current.failure())) {
            refusing(mapping, refusal.get());
            records.put(mapping.connPort(), PortRecord.change(mapping.generation(), Action.CREATE, null,
                    Origin.SNAPSHOT, refusal.get()));
        } else if (refusal.isEmpty() && current.refusedByPolicy() && current.told()) {
            log.info("the mapping on port {} (generation {}), refused before, is allowed now; applying it",
                    mapping.connPort(), mapping.generation());
            records.put(mapping.connPort(), PortRecord.change(mapping.generation(), Action.CREATE,
                    ForwardedPort.of(mapping.connPort(), mapping.target()), Origin.SNAPSHOT, null));
        }
    }

    /**
     * Without a snapshot (the API unreachable): every forwarding held is checked, and only closed,
     * so a target the gateway takes as its own during an outage loses its rule at the next
     * reconcile all the same; the API is told with the next snapshot.
     */
    void held(TargetPolicy policy) {
        Map<ConnPort, PortRecord> refused = new HashMap<>();
        records.forEach((port, record) -> {
            if (record.wanted()) {
                Optional<String> refusal = checked(port, () -> policy.refusal(record.forward()));
                if (refusal != null && refusal.isPresent()) {
                    refused.put(port, PortRecord.change(record.generation(), Action.CREATE, null, record.origin(),
                            refusal.get()));
                }
            }
        });
        refused.forEach((port, record) -> {
            refusing(port, record.generation(), "held without a snapshot", record.failure());
            records.put(port, record);
        });
    }

    /** A snapshot entry refused: logged as {@link #refusing(ConnPort, long, String, String)} says, with its state at the API. */
    static void refusing(MappingSnapshot mapping, String reason) {
        refusing(mapping.connPort(), mapping.generation(),
                mapping.state().name().toLowerCase(Locale.ROOT) + " at the API", reason);
    }

    /** Once per mapping, generation and reason while the agent runs: the operator's clue to what a configuration, or the host, took away. */
    static void refusing(ConnPort port, long generation, String where, String reason) {
        log.warn("refusing the mapping on port {} (generation {}, {}); the API is told: {}", port, generation, where,
                reason);
    }

    /** The check's answer, or null when it could not be made (listing the host's addresses failed): nothing changes then. */
    private static Optional<String> checked(ConnPort port, Supplier<Optional<String>> check) {
        try {
            return check.get();
        } catch (RuntimeException e) {
            log.warn("could not check the mapping on port {} against the policy again; it stays as it is: {}", port,
                    e.toString());
            return null;
        }
    }
}
