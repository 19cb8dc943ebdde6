package org.vlab.ipam.agent.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.vlab.ipam.agent.nftables.NftRenderer;
import org.vlab.ipam.agent.rules.ForwardedPort;
import org.vlab.ipam.agent.rules.RestoreScript;
import org.vlab.ipam.agent.rules.Rule;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.Protocol;

/** The rows of {@link StreamBaselines}' table for udp creates with the nftables backend. */
final class UdpCreateRows {

    private UdpCreateRows() {
    }

    /**
     * udp creates for every source, the odd ports of the held tcp mappings' blocks as udp, in a
     * table that holds one udp mapping (so the udp structures are there): with 10 and 1,000
     * mappings, and with the structures written again in each transaction, as each udp create
     * did until 2026-12-07 (it also added a DNAT chain and a jump of its own then).
     */
    static void append(StringBuilder table, List<ForwardedPort> held, List<ForwardedPort> fresh, int rounds) {
        ForwardedPort udpHeld = ForwardedPort.of(ConnPort.of(52000), StreamBaselines.TARGET).withProtocol(Protocol.UDP);
        List<ForwardedPort> udpFresh = fresh.subList(0, rounds).stream().map(port -> port.withProtocol(Protocol.UDP))
                .toList();
        // ports of their own: a closed mapping's log rule stays, so reused ports would add none
        List<ForwardedPort> udpFreshAgain = fresh.subList(rounds, 2 * rounds).stream()
                .map(port -> port.withProtocol(Protocol.UDP)).toList();
        List<ForwardedPort> few = new ArrayList<>(held.subList(0, 10));
        few.add(udpHeld);
        List<ForwardedPort> many = new ArrayList<>(held);
        many.add(udpHeld);
        try (StreamBaselines stream = new StreamBaselines(true, List.of()).holding(few)) {
            StreamBaselines.row(table, "a udp create after a udp create (elements and its log rule), "
                    + "10 mappings instead of 1,000", stream.createsAfterCreates(udpFresh.subList(0, Math.min(rounds, 50))));
        }
        try (StreamBaselines stream = new StreamBaselines(true, List.of()).holding(many)) {
            StreamBaselines.row(table, "a udp create after a udp create (elements and its log rule)",
                    stream.createsAfterCreates(udpFresh));
            stream.writingBeforeEachCreate(udpStructures());
            StreamBaselines.row(table, "the same with the udp structures written again in each (until 2026-12-07, "
                    + "beside a DNAT chain and jump per mapping)", stream.createsAfterCreates(udpFreshAgain));
        }
    }

    /** The lines a change opening the first udp mapping writes before its block's: the udp structures. */
    private static List<Rule> udpStructures() {
        ForwardedPort first = ForwardedPort.of(ConnPort.of(52000), StreamBaselines.TARGET).withProtocol(Protocol.UDP);
        RestoreScript opening = new NftRenderer(RestoreBaselines.OPTIONS).changeScript(List.of(), List.of(first),
                Set.of(), false);
        return opening.lines().stream().takeWhile(line -> !line.text().startsWith("add chain ip vlab_ipam logs_"))
                .toList();
    }
}
