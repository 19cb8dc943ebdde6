package org.vlab.ipam.health.cycle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.events.ReachabilityObserved;
import org.vlab.ipam.health.probe.AddressProbes;
import org.vlab.ipam.health.probe.ProbeRunner;
import org.vlab.ipam.health.targets.ProbeTarget;
import org.vlab.ipam.health.targets.TargetBook;
import org.vlab.ipam.health.verdict.Judgement;
import org.vlab.ipam.health.verdict.Verdicts;
import org.vlab.ipam.messaging.MessagePublisher;

/**
 * One cycle: the targets of the latest snapshot are all queued on the runner at once; each
 * address is judged and its {@code reachability.observed} published as soon as its own probes
 * are done, so a dead target delays nobody's event. The cycle ends when the broker confirmed
 * (or refused) every event; a confirmed event is what makes a verdict change "announced".
 */
final class ProbeCycle implements Cycle {

    private static final Logger log = LoggerFactory.getLogger(ProbeCycle.class);

    private final GatewayId gateway;
    private final TargetBook book;
    private final ProbeRunner runner;
    private final Verdicts verdicts;
    private final MessagePublisher publisher;
    private final HealthMetrics metrics;
    private final Clock clock;

    ProbeCycle(GatewayId gateway, TargetBook book, ProbeRunner runner, Verdicts verdicts, MessagePublisher publisher,
            HealthMetrics metrics, Clock clock) {
        this.gateway = gateway;
        this.book = book;
        this.runner = runner;
        this.verdicts = verdicts;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public boolean run() throws InterruptedException {
        List<ProbeTarget> targets = book.targetsForNextCycle();
        Set<LabAddress> addresses = targets.stream().map(ProbeTarget::address).collect(Collectors.toSet());
        verdicts.retainOnly(addresses);
        BlockingQueue<AddressProbes> done = new LinkedBlockingQueue<>();
        for (ProbeTarget target : targets) {
            runner.probe(target).thenAccept(done::add);
        }
        List<CompletableFuture<Void>> publishes = new ArrayList<>(targets.size());
        AtomicInteger unconfirmed = new AtomicInteger();
        AtomicReference<String> reason = new AtomicReference<>();
        int failedProbes = 0;
        for (int i = 0; i < targets.size(); i++) {
            AddressProbes probes = done.take();
            metrics.record(probes);
            failedProbes += probes.failedProbes();
            publishes.add(publish(probes, unconfirmed, reason));
        }
        for (CompletableFuture<Void> publish : publishes) {
            publish.join();
        }
        if (failedProbes > 0) {
            log.warn("{} probes broke inside the worker this cycle; the last: {}", failedProbes, runner.lastFailure());
        }
        if (unconfirmed.get() > 0) {
            log.warn("{} of {} reachability events were not confirmed by the broker: {}", unconfirmed.get(),
                    targets.size(), reason.get());
        }
        log.debug("cycle over {} addresses of {} done", targets.size(), gateway);
        return book.loaded();
    }

    private CompletableFuture<Void> publish(AddressProbes probes, AtomicInteger unconfirmed,
            AtomicReference<String> reason) {
        Instant observedAt = clock.instant();
        Judgement judgement = verdicts.judge(probes.address(), probes.answered(), observedAt);
        if (judgement.changed()) {
            log.info("{} of {} is now {}", probes.address(), gateway, judgement.routable() ? "routable" : "unroutable");
        }
        ReachabilityObserved event = new ReachabilityObserved(gateway, probes.address(), probes.icmp(), probes.tcp(),
                judgement.routable(), judgement.changed(), judgement.lastSeenAlive(), observedAt);
        CompletableFuture<Void> confirmed;
        try {
            confirmed = publisher.publish(event);
        } catch (RuntimeException e) {
            confirmed = CompletableFuture.failedFuture(e);
        }
        return confirmed.handle((ok, error) -> {
            if (error == null) {
                verdicts.announced(probes.address(), judgement.routable());
            } else {
                metrics.publishFailed();
                unconfirmed.incrementAndGet();
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                reason.compareAndSet(null, cause.getMessage());
            }
            return null;
        });
    }
}
