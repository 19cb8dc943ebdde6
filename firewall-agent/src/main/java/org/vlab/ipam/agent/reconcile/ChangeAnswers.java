package org.vlab.ipam.agent.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.vlab.ipam.agent.reconcile.PortRecord.Status;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapRequested.Action;
import org.vlab.ipam.events.SnapshotTaken;

/**
 * What the agent tells the API of a port's change once it settled, from the ledger's record:
 * applied, removed or failed. Holds no state of its own; the ledger asks it under its lock.
 */
final class ChangeAnswers {

    private final GatewayId gateway;

    ChangeAnswers(GatewayId gateway) {
        this.gateway = gateway;
    }

    /**
     * The answer to {@code command} from its port's {@code record}: empty while unsettled, or
     * when a newer change replaced it. A removal's reason (a lease that expired) is repeated.
     */
    Optional<IpamMessage> toCommand(PortMapRequested command, PortRecord record, Instant now) {
        if (record == null || record.generation() != command.generation() || record.action() != command.action()) {
            return Optional.empty();
        }
        return answer(command.connPort(), record, now).map(answer -> answer instanceof PortMapRemoved removed
                && command.reason() != null ? new PortMapRemoved(removed.gateway(), removed.connPort(),
                        removed.generation(), removed.removedAt(), command.reason()) : answer);
    }

    /** The answers {@link PortLedger#settle} gives, from the ledger's records by port. */
    List<IpamMessage> afterSnapshot(SnapshotTaken snapshot, Function<ConnPort, PortRecord> records, Instant now) {
        List<IpamMessage> answers = new ArrayList<>();
        for (MappingSnapshot mapping : snapshot.mappings()) {
            PortRecord record = records.apply(mapping.connPort());
            boolean sameChange = record != null && record.generation() == mapping.generation();
            if (mapping.state() == MappingState.PENDING && sameChange && record.action() == Action.CREATE
                    && record.status() != Status.UNCOMMITTED
                    && !(record.status() == Status.FAILED && record.told())) {
                answer(mapping.connPort(), record, now).ifPresent(answers::add);
            } else if (mapping.state() == MappingState.APPLIED && sameChange && record.action() == Action.CREATE
                    && record.status() == Status.FAILED) {
                // applied before, refused now (the lab networks were narrowed, say): its rule is gone, and
                // the API would go on showing it applied; told again while it does (an answer lost)
                answer(mapping.connPort(), record, now).ifPresent(answers::add);
            } else if (!mapping.state().wantedOnGateway()
                    && (record == null || (!record.wanted() && record.status() != Status.UNCOMMITTED))) {
                // not wanted, and not changed since the committed sync: the kernel holds no rule for it
                answers.add(new PortMapRemoved(gateway, mapping.connPort(), mapping.generation(), now, mapping.reason()));
            }
        }
        return answers;
    }

    private Optional<IpamMessage> answer(ConnPort port, PortRecord record, Instant now) {
        switch (record.status()) {
            case COMMITTED:
                return Optional.of(record.action() == Action.CREATE
                        ? new PortMapApplied(gateway, port, record.generation(), now)
                        : new PortMapRemoved(gateway, port, record.generation(), now));
            case FAILED:
                return Optional.of(new PortMapFailed(gateway, port, record.generation(), record.action(),
                        record.failure(), now));
            default:
                return Optional.empty();
        }
    }
}
