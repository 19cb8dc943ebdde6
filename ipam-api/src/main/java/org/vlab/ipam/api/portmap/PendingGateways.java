package org.vlab.ipam.api.portmap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The set of gateways that may have a command waiting for its agent's answer
 * ({@link Keyspace#pendingGateways()}), so that re-publishing costs nothing per idle gateway.
 * The set lives in another cluster slot than the gateways' keys, so it cannot change in the
 * scripts' transactions; instead, a writer adds the gateway <em>after</em> its script made a
 * command pending, and {@link #forgetIfIdle} checks the pending set again after removing it.
 * Whatever order the two interleave in, a gateway with a pending command ends up named.
 * Naming it can fail on its own (its cluster slot's master failing over) after the script
 * wrote: {@link #noteAfterWrite} keeps that from undoing the request's answer.
 */
@Component
class PendingGateways {

    private static final Logger log = LoggerFactory.getLogger(PendingGateways.class);

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;

    PendingGateways(ReactiveStringRedisTemplate redis, Keyspace keyspace) {
        this.redis = redis;
        this.keyspace = keyspace;
    }

    /** After a script made a command of {@code gateway} pending. */
    Mono<Void> note(GatewayId gateway) {
        return redis.opsForSet().add(keyspace.pendingGateways(), gateway.value()).then();
    }

    /**
     * {@link #note}, in a write's path after its script ran: the write stands whatever happens
     * here, so a failure must not answer "nothing was changed" (the client would retry and write
     * again). It is logged instead; the re-publisher's full pass, over every gateway, names the
     * gateway again, and the agent's reconcile applies its pending mappings meanwhile.
     */
    Mono<Void> noteAfterWrite(GatewayId gateway) {
        return note(gateway).onErrorResume(e -> {
            log.warn("Could not name gateway {} as having a pending command ({}); the write stands, and the "
                    + "re-publisher's next full pass names it", gateway, e.toString());
            return Mono.empty();
        });
    }

    Flux<GatewayId> members() {
        return redis.opsForSet().members(keyspace.pendingGateways()).map(GatewayId::of);
    }

    /**
     * Removes a gateway whose pending set was seen empty; if a command became pending
     * meanwhile (its writer may have added the gateway just before the removal), adds it back.
     */
    Mono<Void> forgetIfIdle(GatewayId gateway) {
        return redis.opsForSet().remove(keyspace.pendingGateways(), gateway.value())
                .then(redis.opsForZSet().size(keyspace.of(gateway).pending()))
                .flatMap(pending -> pending > 0 ? note(gateway) : Mono.empty());
    }
}
