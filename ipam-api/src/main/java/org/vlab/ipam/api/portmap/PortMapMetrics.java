package org.vlab.ipam.api.portmap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple3;

/**
 * Port-pool usage and pending commands per gateway, read from Redis on a period (so every
 * replica reports the same, shared numbers), plus the number of requests waiting for an agent.
 */
@Component
class PortMapMetrics {

    private static final Logger log = LoggerFactory.getLogger(PortMapMetrics.class);
    static final Duration PERIOD = Duration.ofSeconds(15);

    private final PortMapStore store;
    private final PendingGateways pendingGateways;
    private final MultiGauge used;
    private final MultiGauge pending;
    private final int poolSize;
    private volatile Disposable loop;
    /** Set once shutdown began: a start that comes later (a stop during startup) starts nothing. */
    private boolean closed;

    PortMapMetrics(PortMapStore store, PendingGateways pendingGateways, MeterRegistry meters, ApiProperties properties,
            Confirmations confirmations) {
        this.store = store;
        this.pendingGateways = pendingGateways;
        this.poolSize = properties.portMax() - properties.portMin() + 1;
        this.used = MultiGauge.builder("ipam.portmap.ports.used")
                .description("Connection ports in use per gateway (any state)").register(meters);
        this.pending = MultiGauge.builder("ipam.portmap.pending")
                .description("Mappings waiting for their agent's answer per gateway").register(meters);
        Gauge.builder("ipam.portmap.ports.pool", () -> poolSize)
                .description("Connection ports in each gateway's pool").register(meters);
        Gauge.builder("ipam.portmap.requests.waiting", confirmations, Confirmations::waiting)
                .description("Requests of this replica waiting for an agent's answer").register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        if (closed) {
            return;
        }
        loop = Flux.interval(Duration.ZERO, PERIOD)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    log.debug("could not refresh port-map metrics: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    /** Pending counts are read only for the gateways that may have any (see {@link PendingGateways}). */
    Mono<Void> refresh() {
        return pendingGateways.members().collect(Collectors.toSet())
                .flatMapMany(mayHavePending -> store.gateways().flatMap(gateway -> Mono.zip(Mono.just(gateway),
                        store.usedPorts(gateway),
                        mayHavePending.contains(gateway) ? store.pendingCount(gateway) : Mono.just(0L)), 8))
                .collectList()
                .doOnNext(this::publish)
                .then();
    }

    private void publish(List<? extends Tuple3<org.vlab.ipam.domain.GatewayId, Long, Long>> rows) {
        used.register(rows.stream().map(row -> MultiGauge.Row.of(Tags.of("gateway", row.getT1().value()), row.getT2()))
                .toList(), true);
        pending.register(rows.stream().map(row -> MultiGauge.Row.of(Tags.of("gateway", row.getT1().value()), row.getT3()))
                .toList(), true);
    }

    /**
     * Stops as shutdown begins, before the lifecycle stops the Redis connection and the
     * broker: stopping at bean destruction would leave seconds of rounds failing against a
     * closed connection in the log of a clean stop.
     */
    @EventListener(ContextClosedEvent.class)
    synchronized void stop() {
        closed = true;
        Disposable current = loop;
        if (current != null) {
            current.dispose();
        }
    }
}
