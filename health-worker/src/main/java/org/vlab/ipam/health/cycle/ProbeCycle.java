package org.vlab.ipam.health.cycle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.health.probe.AddressProbes;
import org.vlab.ipam.health.probe.ProbeRunner;
import org.vlab.ipam.health.publish.EventOutbox;
import org.vlab.ipam.health.targets.ProbeTarget;
import org.vlab.ipam.health.targets.TargetBook;
import org.vlab.ipam.health.verdict.Judgement;
import org.vlab.ipam.health.verdict.Verdicts;

/**
 * One cycle: the targets of the latest snapshot are all queued on the runner at once (their
 * echoes in chunks, one fping run each); each
 * address is judged as soon as its own probes are done, and its {@code reachability.observed},
 * stamped with the time the probes ended, is handed to the outbox, so neither a dead target
 * nor an unreachable broker delays anybody's event or the cycle. An address whose probes broke
 * inside the worker and got no answer is not judged: the cycle says nothing new about it; one
 * this worker cannot probe at all (only udp mappings, ICMP off) is left out of the cycle. A
 * confirmed event is what makes a verdict change "announced".
 */
final class ProbeCycle implements Cycle {

    private static final Logger log = LoggerFactory.getLogger(ProbeCycle.class);

    private final GatewayId gateway;
    private final TargetBook book;
    private final ProbeRunner runner;
    private final Verdicts verdicts;
    private final EventOutbox outbox;
    private final HealthMetrics metrics;
    private final Clock clock;
    /** Addresses the last cycle could not probe at all, to warn only when their number changes. */
    private int unprobeable;

    ProbeCycle(GatewayId gateway, TargetBook book, ProbeRunner runner, Verdicts verdicts, EventOutbox outbox,
            HealthMetrics metrics, Clock clock) {
        this.gateway = gateway;
        this.book = book;
        this.runner = runner;
        this.verdicts = verdicts;
        this.outbox = outbox;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** An address's probes and when the last of them ended. */
    private record Probed(AddressProbes probes, Instant at) {
    }

    @Override
    public boolean run() throws InterruptedException {
        List<ProbeTarget> targets = probeable(book.targetsForNextCycle());
        Set<LabAddress> addresses = targets.stream().map(ProbeTarget::address).collect(Collectors.toSet());
        verdicts.retainOnly(addresses);
        BlockingQueue<Probed> done = new LinkedBlockingQueue<>();
        for (CompletableFuture<AddressProbes> probed : runner.probeAll(targets)) {
            probed.thenAccept(probes -> done.add(new Probed(probes, clock.instant())));
        }
        int failedProbes = 0;
        int unjudged = 0;
        for (int i = 0; i < targets.size(); i++) {
            Probed probed = done.take();
            metrics.record(probed.probes());
            failedProbes += probed.probes().failedProbes();
            if (!probed.probes().conclusive()) {
                unjudged++;
            }
            publish(probed);
        }
        if (failedProbes > 0) {
            log.warn("{} probes broke inside the worker this cycle, leaving the verdicts of {} addresses as they were;"
                    + " the last: {}", failedProbes, unjudged, runner.lastFailure());
        }
        log.debug("cycle over {} addresses of {} done", targets.size(), gateway);
        return book.loaded();
    }

    /**
     * The targets this worker can learn anything about. Without ICMP, an address with only udp
     * mappings has nothing to probe: it gets no event and loses its verdict (silence would
     * otherwise pass for an unroutable host).
     */
    private List<ProbeTarget> probeable(List<ProbeTarget> targets) {
        boolean icmp = runner.icmpEnabled();
        List<ProbeTarget> probeable = targets.stream().filter(target -> target.probeable(icmp)).toList();
        int skipped = targets.size() - probeable.size();
        if (skipped != unprobeable && skipped > 0) {
            log.warn("{} addresses of {} have only udp mappings and ICMP is off (no NET_RAW): they are not probed and"
                    + " get no reachability events", skipped, gateway);
        }
        unprobeable = skipped;
        return probeable;
    }

    private void publish(Probed probed) {
        AddressProbes probes = probed.probes();
        LabAddress address = probes.address();
        Optional<Judgement> judged = probes.conclusive()
                ? Optional.of(verdicts.judge(address, probes.answered(), probed.at()))
                : verdicts.unjudged(address);
        if (judged.isEmpty()) {
            return; // no verdict yet, and this cycle cannot give one
        }
        Judgement judgement = judged.get();
        if (judgement.changed() && probes.conclusive()) {
            log.info("{} of {} is now {}", address, gateway, judgement.routable() ? "routable" : "unroutable");
        }
        ReachabilityObserved event = new ReachabilityObserved(gateway, address, probes.icmp(), probes.tcp(),
                judgement.routable(), judgement.changed(), judgement.lastSeenAlive(), probed.at());
        outbox.offer(event, () -> verdicts.announced(address, judgement.routable()));
    }
}
