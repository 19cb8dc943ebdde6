package org.vlab.ipam.api.portmap;

import java.time.Clock;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.portmap.PortMapStore.Outcome;
import org.vlab.ipam.events.PortMapApplied;
import org.vlab.ipam.events.PortMapFailed;
import org.vlab.ipam.events.PortMapRemoved;
import reactor.core.publisher.Mono;

/**
 * Records what agents answered: the mapping's state moves on only for an answer about its
 * current generation, so duplicates, replays and late answers change nothing. A recorded answer
 * completes this replica's waiting requests at once (the others hear of it through Redis).
 */
@Component
public class AgentAnswers {

    private final PortMapStore store;
    private final Confirmations confirmations;
    private final Clock clock;

    AgentAnswers(PortMapStore store, Confirmations confirmations, Clock clock) {
        this.store = store;
        this.confirmations = confirmations;
        this.clock = clock;
    }

    public Mono<String> applied(PortMapApplied event) {
        return store.confirm(event.gateway(), event.connPort(), event.generation(), Outcome.APPLIED, null, null,
                clock.instant()).doOnNext(result -> confirmations.recorded(event.gateway(), event.connPort(),
                        event.generation(), result, null));
    }

    public Mono<String> failed(PortMapFailed event) {
        return store.confirm(event.gateway(), event.connPort(), event.generation(), Outcome.FAILED,
                event.action().name().toLowerCase(java.util.Locale.ROOT), event.reason(), clock.instant())
                .doOnNext(result -> confirmations.recorded(event.gateway(), event.connPort(), event.generation(), result,
                        event.reason()));
    }

    public Mono<String> removed(PortMapRemoved event) {
        return store.confirm(event.gateway(), event.connPort(), event.generation(), Outcome.REMOVED, null, event.reason(),
                clock.instant()).doOnNext(result -> confirmations.recorded(event.gateway(), event.connPort(),
                        event.generation(), result, null));
    }
}
