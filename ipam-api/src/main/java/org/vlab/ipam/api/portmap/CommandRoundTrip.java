package org.vlab.ipam.api.portmap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.portmap.Confirmations.Confirmation;
import org.vlab.ipam.api.web.ApiException;
import org.vlab.ipam.api.web.ServiceUnavailableException;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.messaging.PublishFailedException;
import reactor.core.publisher.Mono;

/**
 * A write request's trip to the agent and back: publishes the command a script just recorded
 * and waits a bounded time for the agent's answer, which becomes the request's answer. 503
 * means nothing was written: a command the broker never received is undone; once the command
 * may have reached it, the change stands (202) and the re-publisher finishes it.
 */
@Component
class CommandRoundTrip {

    /** Logged under the service's name, as before this class was split from it, so log filters still match. */
    private static final Logger log = LoggerFactory.getLogger(PortMapService.class);

    private final PortMapStore store;
    private final Confirmations confirmations;
    private final Duration applyWait;
    private final Timer ackLatency;

    CommandRoundTrip(PortMapStore store, Confirmations confirmations, ApiProperties properties, MeterRegistry meters) {
        this.store = store;
        this.confirmations = confirmations;
        this.applyWait = properties.applyWait();
        this.ackLatency = Timer.builder("ipam.portmap.ack.latency")
                .description("Time from publishing a command to the agent's answer, as seen by the waiting request")
                .publishPercentileHistogram().register(meters);
    }

    /**
     * Publishes the command a script just recorded and waits for the agent. Only a publish the
     * broker certainly never received is undone (503: nothing changed); after anything else that
     * fails, the change stays recorded and the re-publisher finishes it (202).
     */
    Mono<PortMapAnswer> publishAndWait(GatewayId gateway, ConnPort port, long generation, boolean removal,
            Mono<Void> publish, Supplier<Mono<Boolean>> undo) {
        Confirmations.Waiting waiting = confirmations.register(gateway, port, generation);
        long started = System.nanoTime();
        return publish
                .then(Mono.defer(() -> awaitAnswer(waiting, gateway, port, generation, removal, started)))
                .onErrorResume(failure -> !(failure instanceof ApiException), failure -> neverSent(failure)
                        ? undo.get().map(undone -> {
                                    if (undone) {
                                        throw new ServiceUnavailableException(
                                                "RabbitMQ is unreachable; nothing was changed, retry later");
                                    }
                                    // Another request changed the mapping since: it is not ours to undo.
                                    return removal ? PortMapAnswer.stillPending(port, true) : PortMapAnswer.overtaken(port);
                                })
                                .onErrorResume(undoFailed -> !(undoFailed instanceof ApiException),
                                        undoFailed -> Mono.just(recorded(gateway, port, removal, undoFailed)))
                        : Mono.just(recorded(gateway, port, removal, failure)))
                .doFinally(signal -> waiting.cancel());
    }

    /** Waits for the agent's answer to a command an earlier request published (a retried create still pending). */
    Mono<PortMapAnswer> await(GatewayId gateway, ConnPort port, long generation, boolean removal) {
        return awaitAnswer(confirmations.register(gateway, port, generation), gateway, port, generation, removal,
                System.nanoTime());
    }

    /** The broker refused the connection or the send itself: it never received the command. */
    private static boolean neverSent(Throwable failure) {
        return failure instanceof PublishFailedException published
                && published.reason() == PublishFailedException.Reason.BROKER_UNREACHABLE;
    }

    /** The script's change stands after a later failure: 202, and the re-publisher takes over. */
    private static PortMapAnswer recorded(GatewayId gateway, ConnPort port, boolean removal, Throwable failure) {
        log.warn("{} of {} port {} is recorded but {}; it stays {} and is re-published", removal ? "removal" : "creation",
                gateway, port, failure instanceof TimeoutException ? "its confirm did not come in time" : failure.toString(),
                removal ? "removing" : "pending");
        return PortMapAnswer.stillPending(port, removal);
    }

    private Mono<PortMapAnswer> awaitAnswer(Confirmations.Waiting waiting, GatewayId gateway, ConnPort port,
            long generation, boolean removal, long started) {
        return waiting.answer(applyWait)
                .doOnNext(confirmation -> ackLatency.record(Duration.ofNanos(System.nanoTime() - started)))
                .map(confirmation -> answer(port, confirmation, removal))
                .onErrorResume(TimeoutException.class, e -> settle(gateway, port, generation, removal))
                .doFinally(signal -> waiting.cancel());
    }

    private static PortMapAnswer answer(ConnPort port, Confirmation confirmation, boolean removal) {
        return switch (confirmation.result()) {
            case "applied" -> PortMapAnswer.ok(Map.of("conn_port", port.value()));
            // A create hears "removed" only when a later DELETE finished first.
            case "removed" -> removal ? PortMapAnswer.ok(Map.of()) : PortMapAnswer.overtaken(port);
            case "released" -> PortMapAnswer.failed(PortMapAnswer.reasonOrDefault(confirmation.reason()),
                    PortMapAnswer.content(port, null));
            case "failed" -> PortMapAnswer.failed(PortMapAnswer.reasonOrDefault(confirmation.reason()),
                    PortMapAnswer.content(port, MappingState.FAILED));
            default -> PortMapAnswer.stillPending(port, removal);
        };
    }

    /**
     * The wait is over: a confirmation may have been announced while nobody listened, so read
     * Redis once more. For a create, a mapping of another generation on the port is not the one
     * it made (a DELETE moved it on, or the port was freed and taken again), so it is never named.
     */
    private Mono<PortMapAnswer> settle(GatewayId gateway, ConnPort port, long generation, boolean removal) {
        return store.find(gateway, port)
                .map(mapping -> mapping.generation() == generation ? PortMapAnswer.of(mapping)
                        : removal ? PortMapAnswer.accepted(PortMapAnswer.content(port, mapping.state()))
                        : PortMapAnswer.overtaken(port))
                .switchIfEmpty(Mono.fromSupplier(() -> removal ? PortMapAnswer.ok(Map.of())
                        : PortMapAnswer.failed("The gateway agent refused the mapping; its port was released",
                                PortMapAnswer.content(port, null))));
    }
}
