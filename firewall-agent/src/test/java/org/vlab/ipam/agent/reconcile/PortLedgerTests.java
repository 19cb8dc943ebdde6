package org.vlab.ipam.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.agent.reconcile.Commands.GATEWAY;
import static org.vlab.ipam.agent.reconcile.Commands.NOW;
import static org.vlab.ipam.agent.reconcile.Commands.POLICY;
import static org.vlab.ipam.agent.reconcile.Commands.create;
import static org.vlab.ipam.agent.reconcile.Commands.mapping;
import static org.vlab.ipam.agent.reconcile.Commands.remove;
import static org.vlab.ipam.agent.reconcile.Commands.snapshot;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.host.HostAddresses;
import org.vlab.ipam.agent.reconcile.PortLedger.Offer;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.InterfaceName;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Ipv4Address;
import org.vlab.ipam.domain.LabNetwork;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.IpamMessage;
import org.vlab.ipam.events.MappingSnapshot;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.events.PortMapRequested.Action;

/** Generations make duplicates and reordering harmless; snapshots never undo newer commands. */
class PortLedgerTests {

    private final PortLedger ledger = new PortLedger(GATEWAY);

    @Test
    void aNewCreateIsWantedAndAnsweredAppliedOnlyOnceCommitted() {
        PortMapRequested command = create(50001, 3, "192.168.1.10");

        assertThat(offer(command)).isEqualTo(Offer.NEW);
        assertThat(ledger.answerFor(command, NOW)).isEmpty();
        SyncView view = ledger.beginSync();
        assertThat(view.wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50001));
        ledger.committed(view);

        assertThat(ledger.answerFor(command, NOW)).contains(new PortMapApplied(GATEWAY, ConnPort.of(50001), 3, NOW));
        assertThat(ledger.appliedGeneration()).isEqualTo(3);
    }

    @Test
    void aViewOfChangesHoldsOnlyThePortsChangedSinceTheyWereLastCommitted() {
        ledger.merge(snapshot(3, mapping(50001, 1, MappingState.APPLIED, "192.168.1.10"),
                mapping(50002, 2, MappingState.APPLIED, "192.168.1.11"),
                mapping(50003, 3, MappingState.APPLIED, "192.168.1.12")), POLICY);
        ledger.committed(ledger.beginSync());
        assertThat(ledger.beginChanges().changes()).isEmpty();

        offer(create(50004, 4, "192.168.1.13"));
        offer(remove(50002, 5));
        SyncView view = ledger.beginChanges();

        assertThat(view.partial()).isTrue();
        assertThat(view.changes()).containsOnlyKeys(ConnPort.of(50004), ConnPort.of(50002));
        assertThat(view.wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50004));
        assertThat(view.uncommitted()).containsOnly(ConnPort.of(50004), ConnPort.of(50002));
        assertThat(view.generation()).isEqualTo(5);
        ledger.committed(view);
        assertThat(ledger.changedPorts()).isZero();
        assertThat(ledger.answerFor(remove(50002, 5), NOW)).containsInstanceOf(PortMapRemoved.class);
        assertThat(ledger.appliedGeneration()).isEqualTo(5);
    }

    @Test
    void aPortChangedAgainWhileASyncRanStaysChangedForTheNextEvenWithinItsGeneration() {
        ledger.merge(snapshot(1), POLICY);
        offer(create(50001, 2, "192.168.1.10"));
        offer(create(50002, 3, "192.168.1.11"));
        ledger.committed(ledger.beginChanges());

        offer(create(50003, 4, "192.168.1.12"));
        SyncView running = ledger.beginChanges();
        offer(create(50003, 5, "192.168.1.13"));
        // the API's snapshot at generation 4 no longer lists 50002: a removal within generation 3
        ledger.merge(snapshot(4, mapping(50001, 2, MappingState.APPLIED, "192.168.1.10")), POLICY);
        ledger.committed(running);

        SyncView next = ledger.beginChanges();
        assertThat(next.changes()).containsOnlyKeys(ConnPort.of(50002), ConnPort.of(50003));
        assertThat(next.wanted()).extracting(forward -> forward.address().toString())
                .containsExactly("192.168.1.13");
    }

    @Test
    void aDuplicateIsAnsweredAgainWithoutAnotherChange() {
        PortMapRequested command = create(50001, 3, "192.168.1.10");
        offer(command);
        ledger.committed(ledger.beginSync());

        assertThat(offer(command)).isEqualTo(Offer.DUPLICATE);
        assertThat(ledger.beginSync().changesAnything()).isFalse();
        assertThat(ledger.answerFor(command, NOW)).containsInstanceOf(PortMapApplied.class);
    }

    @Test
    void aCommandOlderThanTheKnownChangeIsStaleAndNeverApplied() {
        offer(create(50001, 3, "192.168.1.10"));
        offer(remove(50001, 4));
        ledger.committed(ledger.beginSync());

        assertThat(offer(create(50001, 3, "192.168.1.10"))).isEqualTo(Offer.STALE);
        assertThat(ledger.beginSync().wanted()).isEmpty();
        assertThat(ledger.answerFor(remove(50001, 4), NOW)).containsInstanceOf(PortMapRemoved.class);
    }

    @Test
    void aRemovalForAReasonIsAnsweredWithThatReason() {
        offer(create(50001, 3, "192.168.1.10"));
        PortMapRequested expired = PortMapRequested.remove(GATEWAY, ConnPort.of(50001), 4, NOW, "expired");
        offer(expired);
        ledger.committed(ledger.beginSync());

        assertThat(ledger.answerFor(expired, NOW)).contains(new PortMapRemoved(GATEWAY, ConnPort.of(50001), 4, NOW,
                "expired"));
        assertThat(ledger.answerFor(remove(50001, 4), NOW)).contains(new PortMapRemoved(GATEWAY, ConnPort.of(50001), 4,
                NOW));
    }

    @Test
    void aRemoveOvertakingItsCreateWins() {
        assertThat(offer(remove(50001, 6))).isEqualTo(Offer.NEW);
        assertThat(offer(create(50001, 5, "192.168.1.10"))).isEqualTo(Offer.STALE);

        assertThat(ledger.beginSync().wanted()).isEmpty();
    }

    @Test
    void aRefusedCreateIsAnsweredFailedAndNeverWanted() {
        PortMapRequested outside = create(50001, 3, "10.0.0.5");

        assertThat(offer(outside)).isEqualTo(Offer.NEW);

        assertThat(ledger.beginSync().wanted()).isEmpty();
        assertThat(ledger.answerFor(outside, NOW)).get().isInstanceOfSatisfying(PortMapFailed.class, failed -> {
            assertThat(failed.action()).isEqualTo(Action.CREATE);
            assertThat(failed.reason()).contains("10.0.0.5 is outside this gateway's lab networks");
        });
    }

    @Test
    void aSnapshotNeverUndoesANewerCommand() {
        ledger.merge(snapshot(2), POLICY);
        offer(create(50001, 10, "192.168.1.10"));
        offer(remove(50002, 11));

        ledger.merge(snapshot(8, mapping(50002, 7, MappingState.APPLIED, "192.168.1.20")), POLICY);

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50001));
    }

    @Test
    void aSnapshotAskedForBeforeANewerCommandCameDoesNotUndoIt() {
        ledger.merge(snapshot(2), POLICY);
        long asked = ledger.snapshotAsked();
        offer(create(50001, 10, "192.168.1.10"));

        ledger.merge(snapshot(8), POLICY, asked);

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50001));
    }

    @Test
    void aCommandNewerThanASnapshotAskedForAfterItCameWasNeverTheApisAndGoes() {
        ledger.merge(snapshot(2), POLICY);
        // forged: a generation the API never issued, which would outrank every real command for the port
        offer(create(50050, Long.MAX_VALUE, "192.168.1.66"));
        long asked = ledger.snapshotAsked();

        ledger.merge(snapshot(8), POLICY, asked);

        assertThat(ledger.beginSync().wanted()).isEmpty();
        assertThat(offer(create(50050, 9, "192.168.1.10"))).as("the API's own next command for the port")
                .isEqualTo(Offer.NEW);
        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::address)
                .containsExactly(LabAddress.of("192.168.1.10"));
    }

    @Test
    void aForgedRemovalOfAListedMappingGivesWayToTheSnapshot() {
        ledger.merge(snapshot(5, mapping(50001, 4, MappingState.APPLIED, "192.168.1.10")), POLICY);
        offer(remove(50001, Long.MAX_VALUE));
        long asked = ledger.snapshotAsked();

        ledger.merge(snapshot(6, mapping(50001, 4, MappingState.APPLIED, "192.168.1.10")), POLICY, asked);

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50001));
        assertThat(offer(remove(50001, 7))).isEqualTo(Offer.NEW);
    }

    @Test
    void aMappingTheSnapshotNoLongerListsIsRemovedAndItsOldCommandsAreStale() {
        offer(create(50001, 3, "192.168.1.10"));
        ledger.committed(ledger.beginSync());

        ledger.merge(snapshot(5), POLICY);

        assertThat(ledger.beginSync().wanted()).isEmpty();
        assertThat(offer(create(50001, 3, "192.168.1.10"))).isEqualTo(Offer.STALE);
        assertThat(offer(create(50002, 5, "192.168.1.10"))).isEqualTo(Offer.STALE);
        assertThat(offer(create(50002, 6, "192.168.1.10"))).isEqualTo(Offer.NEW);
    }

    @Test
    void snapshotEntriesAreCheckedLikeCommands() {
        ledger.merge(snapshot(9, mapping(50001, 3, MappingState.PENDING, "192.168.1.10"),
                mapping(50002, 4, MappingState.PENDING, "192.168.1.1"),
                mapping(50003, 5, MappingState.APPLIED, "8.8.8.8")), POLICY);

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50001));
    }

    @Test
    void settlingAfterTheCommittedSyncAnswersWhatTheApiStillWaitsFor() {
        var snapshot = snapshot(9, mapping(50001, 3, MappingState.PENDING, "192.168.1.10"),
                mapping(50002, 4, MappingState.APPLIED, "192.168.1.11"),
                mapping(50003, 5, MappingState.REMOVING, "192.168.1.12"),
                mapping(50004, 6, MappingState.FAILED, "192.168.1.13"),
                mapping(50005, 7, MappingState.PENDING, "192.168.1.255"));

        assertThat(ledger.merge(snapshot, POLICY)).isTrue();
        ledger.committed(ledger.beginSync());
        List<IpamMessage> answers = ledger.settle(snapshot, NOW);

        assertThat(answers).containsExactlyInAnyOrder(
                new PortMapApplied(GATEWAY, ConnPort.of(50001), 3, NOW),
                new PortMapRemoved(GATEWAY, ConnPort.of(50003), 5, NOW),
                new PortMapRemoved(GATEWAY, ConnPort.of(50004), 6, NOW),
                new PortMapFailed(GATEWAY, ConnPort.of(50005), 7, Action.CREATE,
                        "target_addr 192.168.1.255 is the broadcast address of 192.168.1.0/24", NOW));
        assertThat(ledger.merge(snapshot, POLICY)).isFalse();
    }

    @Test
    void anAppliedMappingThePolicyNowRefusesIsAnsweredFailedAndNotAgainOnceTheApiOffersItPending() {
        var applied = snapshot(9, mapping(50002, 4, MappingState.APPLIED, "192.168.2.10"));
        String reason = "target_addr 192.168.2.10 is outside this gateway's lab networks [192.168.1.0/24]";

        ledger.merge(applied, POLICY);
        ledger.committed(ledger.beginSync());

        assertThat(ledger.beginSync().wanted()).as("its rule is gone").isEmpty();
        assertThat(ledger.settle(applied, NOW)).as("while the API shows it applied").containsExactly(
                new PortMapFailed(GATEWAY, ConnPort.of(50002), 4, Action.CREATE, reason, NOW));
        assertThat(ledger.settle(applied, NOW)).as("an answer lost is given again").hasSize(1);

        var offered = snapshot(9, mapping(50002, 4, MappingState.PENDING, "192.168.2.10"));
        ledger.merge(offered, POLICY);
        ledger.committed(ledger.beginSync());
        assertThat(ledger.settle(offered, NOW)).as("the API shows it failed, still wanted").isEmpty();

        PortLedger restarted = new PortLedger(GATEWAY);
        restarted.merge(offered, POLICY);
        restarted.committed(restarted.beginSync());
        assertThat(restarted.settle(offered, NOW)).as("an agent that restarted unchanged repeats its answer once")
                .containsExactly(new PortMapFailed(GATEWAY, ConnPort.of(50002), 4, Action.CREATE, reason, NOW));
        restarted.merge(offered, POLICY);
        restarted.committed(restarted.beginSync());
        assertThat(restarted.settle(offered, NOW)).as("not at every reconcile after").isEmpty();

        PortLedger widened = new PortLedger(GATEWAY);
        widened.merge(offered, Commands.policy(LabNetwork.of("192.168.1.0/24"), LabNetwork.of("192.168.2.0/24")));
        SyncView view = widened.beginSync();
        assertThat(view.wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50002));
        widened.committed(view);
        assertThat(widened.settle(offered, NOW)).as("an agent whose lab networks hold it again applies it")
                .containsExactly(new PortMapApplied(GATEWAY, ConnPort.of(50002), 4, NOW));
    }

    @Test
    void aMappingWhoseTargetTheGatewayTakesAsItsOwnAddressIsRefusedAtTheNextSnapshotAndAllowedAgainWhenItGoes() {
        var applied = snapshot(9, mapping(50003, 5, MappingState.APPLIED, "192.168.1.50"));
        ledger.merge(applied, POLICY);
        ledger.committed(ledger.beginSync());
        TargetPolicy taken = policyWithHostAddress("192.168.1.50");

        ledger.merge(applied, taken);

        SyncView refused = ledger.beginSync();
        assertThat(refused.wanted()).as("its rule goes with the next sync").isEmpty();
        ledger.committed(refused);
        assertThat(ledger.settle(applied, NOW)).singleElement().isInstanceOfSatisfying(PortMapFailed.class,
                failed -> assertThat(failed.reason()).contains("192.168.1.50 is an address of the gateway itself"));

        var offered = snapshot(9, mapping(50003, 5, MappingState.PENDING, "192.168.1.50"));
        ledger.merge(offered, taken);
        assertThat(ledger.beginSync().wanted()).as("still the gateway's").isEmpty();
        ledger.committed(ledger.beginSync());
        assertThat(ledger.settle(offered, NOW)).as("told once").isEmpty();
        ledger.merge(offered, POLICY);

        SyncView allowed = ledger.beginSync();
        assertThat(allowed.wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50003));
        ledger.committed(allowed);
        assertThat(ledger.settle(offered, NOW)).containsExactly(new PortMapApplied(GATEWAY, ConnPort.of(50003), 5, NOW));
    }

    @Test
    void aCreateRefusedByItsCommandIsNotAppliedFromASnapshotTakenBeforeTheApiReleasedIt() {
        TargetPolicy taken = policyWithHostAddress("192.168.1.60");
        ledger.offer(create(50004, 3, "192.168.1.60"),
                () -> taken.refusal(Action.CREATE, ConnPort.of(50004), Commands.target("192.168.1.60", 22)));

        ledger.merge(snapshot(3, mapping(50004, 3, MappingState.PENDING, "192.168.1.60")), POLICY);

        assertThat(ledger.beginSync().wanted()).as("its port may be another mapping's by now").isEmpty();
    }

    @Test
    void aMappingRefusedForAnotherReasonNowIsToldTheNewReason() {
        var applied = snapshot(9, mapping(50005, 5, MappingState.APPLIED, "192.168.1.61"));
        ledger.merge(applied, policyWithHostAddress("192.168.1.61"));
        ledger.committed(ledger.beginSync());
        ledger.settle(applied, NOW);
        var offered = snapshot(9, mapping(50005, 5, MappingState.PENDING, "192.168.1.61"));

        ledger.merge(offered, Commands.policy(LabNetwork.of("192.168.2.0/24")));
        ledger.committed(ledger.beginSync());

        assertThat(ledger.settle(offered, NOW)).singleElement().isInstanceOfSatisfying(PortMapFailed.class,
                failed -> assertThat(failed.reason()).contains("outside this gateway's lab networks"));
    }

    @Test
    void withoutASnapshotAForwardingThePolicyRefusesNowLosesItsRule() {
        ledger.merge(snapshot(9, mapping(50006, 5, MappingState.APPLIED, "192.168.1.62"),
                mapping(50007, 6, MappingState.APPLIED, "192.168.1.63")), POLICY);
        ledger.committed(ledger.beginSync());

        ledger.checkHeld(policyWithHostAddress("192.168.1.62"));

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50007));
    }

    @Test
    void aPolicyCheckThatFailsChangesNothing() {
        var applied = snapshot(9, mapping(50008, 5, MappingState.APPLIED, "192.168.1.64"));
        ledger.merge(applied, POLICY);
        ledger.committed(ledger.beginSync());
        TargetPolicy failing = new TargetPolicy(List.of(LabNetwork.of("192.168.1.0/24")), new PortRange(50000, 50100),
                InterfaceName.of("eth0"), new HostAddresses() {
                    @Override
                    public Set<Ipv4Address> all() {
                        throw new IllegalStateException("cannot list the network interfaces");
                    }

                    @Override
                    public List<Ipv4Address> on(String interfaceName) {
                        return all().stream().toList();
                    }

                    @Override
                    public List<LabNetwork> networksOn(String interfaceName) {
                        return List.of(LabNetwork.of("203.0.113.0/24"));
                    }
                });

        ledger.merge(applied, failing);
        ledger.checkHeld(failing);

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50008));
    }

    private static TargetPolicy policyWithHostAddress(String address) {
        return new TargetPolicy(List.of(LabNetwork.of("192.168.1.0/24")), new PortRange(50000, 50100),
                InterfaceName.of("eth0"), new Commands.FixedAddresses(Set.of(Ipv4Address.parse("192.168.1.1"),
                        Ipv4Address.parse(address)), LabNetwork.of("203.0.113.0/24")));
    }

    @Test
    void aRemovalSettledFromTheSnapshotRepeatsItsReason() {
        MappingSnapshot leased = mapping(50003, 5, MappingState.REMOVING, "192.168.1.12");
        var snapshot = snapshot(9, new MappingSnapshot(leased.connPort(), leased.target(), 5, MappingState.REMOVING,
                null, null, null, "expired"), mapping(50004, 6, MappingState.REMOVING, "192.168.1.13"));

        ledger.merge(snapshot, POLICY);
        ledger.committed(ledger.beginSync());

        assertThat(ledger.settle(snapshot, NOW)).containsExactlyInAnyOrder(
                new PortMapRemoved(GATEWAY, ConnPort.of(50003), 5, NOW, "expired"),
                new PortMapRemoved(GATEWAY, ConnPort.of(50004), 6, NOW));
    }

    @Test
    void onlyANewCommandsCreateMayBeFailedByIptablesNeverASnapshotEntryOrACommittedMapping() {
        ledger.merge(snapshot(2, mapping(50001, 2, MappingState.PENDING, "192.168.1.10")), POLICY);
        offer(create(50002, 3, "192.168.1.11"));
        offer(create(50003, 4, "192.168.1.12"));
        ledger.committed(ledger.beginSync());
        offer(create(50004, 5, "192.168.1.13"));
        offer(remove(50003, 6));
        SyncView view = ledger.beginSync();

        assertThat(ledger.mayFail(ConnPort.of(50001), view)).as("from the snapshot").isFalse();
        assertThat(ledger.mayFail(ConnPort.of(50002), view)).as("committed before").isFalse();
        assertThat(ledger.mayFail(ConnPort.of(50003), view)).as("a removal").isFalse();
        assertThat(ledger.mayFail(ConnPort.of(50004), view)).as("a new create").isTrue();

        ledger.mappingFailed(ConnPort.of(50001), view, "Couldn't load target `NFLOG'");
        ledger.mappingFailed(ConnPort.of(50002), view, "Couldn't load target `NFLOG'");
        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort)
                .contains(ConnPort.of(50001), ConnPort.of(50002));
    }

    @Test
    void aSnapshotEntryOlderThanTheLedgersRecordIsAdoptedWhenTheApiUndidTheChange() {
        ledger.merge(snapshot(5, mapping(50001, 5, MappingState.APPLIED, "192.168.1.10")), POLICY);
        ledger.committed(ledger.beginSync());
        // the API recorded a removal at 6, the agent saw its command, then the API undid it (its publish failed)
        offer(remove(50001, 6));
        ledger.committed(ledger.beginSync());
        assertThat(ledger.beginSync().wanted()).isEmpty();

        ledger.merge(snapshot(7, mapping(50001, 5, MappingState.APPLIED, "192.168.1.10")), POLICY);

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50001));
        assertThat(ledger.offer(remove(50001, 6), () -> java.util.Optional.empty())).as("the undone command again")
                .isEqualTo(Offer.STALE);
    }

    @Test
    void aSnapshotOlderThanTheLedgersRecordDoesNotUndoIt() {
        ledger.merge(snapshot(5, mapping(50001, 5, MappingState.APPLIED, "192.168.1.10")), POLICY);
        offer(remove(50001, 6));

        ledger.merge(snapshot(5, mapping(50001, 5, MappingState.APPLIED, "192.168.1.10")), POLICY);

        assertThat(ledger.beginSync().wanted()).isEmpty();
    }

    @Test
    void aMappingIptablesRefusesIsFailedAloneAndLeftOut() {
        offer(create(50001, 3, "192.168.1.10"));
        offer(create(50002, 4, "192.168.1.11"));
        SyncView view = ledger.beginSync();

        ledger.mappingFailed(ConnPort.of(50001), view, "Couldn't load match");

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50002));
        assertThat(ledger.answerFor(create(50001, 3, "192.168.1.10"), NOW)).containsInstanceOf(PortMapFailed.class);
    }

    @Test
    void aChangeRecordedWhileASyncRunsIsNotSettledByIt() {
        offer(create(50001, 3, "192.168.1.10"));
        SyncView running = ledger.beginSync();
        PortMapRequested later = remove(50001, 4);
        offer(later);

        ledger.committed(running);

        assertThat(ledger.answerFor(later, NOW)).isEmpty();
        assertThat(ledger.beginSync().uncommitted()).containsExactly(ConnPort.of(50001));
    }

    @Test
    void aSnapshotWhoseGenerationWentBackReplacesEverythingTheLedgerKnew() {
        ledger.merge(snapshot(40, mapping(50001, 40, MappingState.APPLIED, "192.168.1.10")), POLICY);
        ledger.committed(ledger.beginSync());

        ledger.merge(snapshot(2, mapping(50002, 2, MappingState.PENDING, "192.168.1.11")), POLICY);

        assertThat(ledger.beginSync().wanted()).extracting(ForwardedPort::connPort).containsExactly(ConnPort.of(50002));
        assertThat(offer(create(50003, 3, "192.168.1.12"))).isEqualTo(Offer.NEW);
    }

    @Test
    void aCommandIsSettledOnlyOnceItsChangeWasCommittedOrFailed() {
        PortMapRequested command = create(50001, 3, "192.168.1.10");
        offer(command);

        assertThat(ledger.isSettled(command)).isFalse();
        ledger.committed(ledger.beginSync());
        assertThat(ledger.isSettled(command)).isTrue();
    }

    private Offer offer(PortMapRequested command) {
        return ledger.offer(command, () -> POLICY.refusal(command.action(), command.connPort(), command.target()));
    }
}
