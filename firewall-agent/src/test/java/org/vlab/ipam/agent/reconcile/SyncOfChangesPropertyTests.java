package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.mapping;
import static org.vlab.ipam.agent.reconcile.Commands.remove;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapRequested;

/**
 * Syncs of changes against the whole desired state, over random histories: commands, repeated
 * and stale ones, snapshots that undo and remove, changes arriving while a sync runs. After
 * every committed sync, what the kernel would hold, built from changes only, must be exactly
 * what a full view of the ledger wants.
 */
class SyncOfChangesPropertyTests {

    private static final int PORTS = 30;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void whatTheChangesBuildIsAlwaysTheWholeDesiredState(long seed) {
        Random random = new Random(seed);
        PortLedger ledger = new PortLedger(GATEWAY);
        ledger.merge(snapshot(0), POLICY);
        KernelMappings held = KernelMappings.of(List.of());
        long generation = 1;
        List<PortMapRequested> sent = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            int changes = 1 + random.nextInt(4);
            for (int i = 0; i < changes; i++) {
                generation = act(random, ledger, sent, generation);
            }
            SyncView view = ledger.beginChanges();
            if (random.nextInt(3) == 0) {
                // changes that arrive while this sync runs wait for the next
                generation = act(random, ledger, sent, generation);
            }
            KernelMappings.Change change = held.changeAt(view.changes().keySet(), view.wanted());
            held.apply(change);
            ledger.committed(view);

            SyncView next = ledger.beginChanges();
            held.apply(held.changeAt(next.changes().keySet(), next.wanted()));
            ledger.committed(next);
            assertThat(ports(held)).as("seed %d, step %d", seed, step)
                    .isEqualTo(new HashSet<>(ledger.beginSync().wanted()));
            assertThat(ledger.changedPorts()).isZero();
        }
    }

    /** One thing that happens to the ledger; returns the next generation. */
    private static long act(Random random, PortLedger ledger, List<PortMapRequested> sent, long generation) {
        int port = 50000 + random.nextInt(PORTS);
        int what = random.nextInt(10);
        if (what < 5) {
            PortMapRequested command = create(port, generation, "192.168.1." + (10 + random.nextInt(5)));
            offer(ledger, command, sent);
        } else if (what < 8) {
            offer(ledger, remove(port, generation), sent);
        } else if (what == 8 && !sent.isEmpty()) {
            // a redelivery or a late, stale command
            offer(ledger, sent.get(random.nextInt(sent.size())), sent);
            return generation;
        } else {
            // the API's snapshot: some ports as they are now, the others gone
            List<MappingSnapshot> listed = new ArrayList<>();
            for (int p = 50000; p < 50000 + PORTS; p++) {
                if (random.nextInt(3) == 0) {
                    listed.add(mapping(p, Math.max(1, generation - random.nextInt(3)), random.nextBoolean() ? MappingState.APPLIED
                            : MappingState.PENDING, "192.168.1." + (20 + random.nextInt(5))));
                }
            }
            ledger.merge(snapshot(generation, listed.toArray(MappingSnapshot[]::new)), POLICY);
        }
        return generation + 1;
    }

    private static void offer(PortLedger ledger, PortMapRequested command, List<PortMapRequested> sent) {
        ledger.offer(command, () -> POLICY.refusal(command.action(), command.connPort(), command.target()));
        sent.add(command);
    }

    private static Set<ForwardedPort> ports(KernelMappings held) {
        return new HashSet<>(held.forwards());
    }
}
