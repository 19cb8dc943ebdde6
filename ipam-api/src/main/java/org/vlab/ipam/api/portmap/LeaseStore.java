package org.vlab.ipam.api.portmap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.api.redis.LuaScripts;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The leases of port maps in Redis: a lease's end moved by a renewal, mappings whose lease ran
 * out claimed for removal, and the set of gateways the sweep visits. Its scripts run through
 * {@link PortMapStore#run}, so they too wait for the first layout's keys to be converted.
 */
@Component
class LeaseStore {

    private static final RedisScript<String> RENEW = LuaScripts.of(String.class, "portmap-renew", "mapping-wanted");
    private static final RedisScript<List> EXPIRE = LuaScripts.of(List.class, "portmap-expire", "mapping-wanted");

    private final PortMapStore store;
    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;
    private final PendingGateways pendingGateways;

    LeaseStore(PortMapStore store, ReactiveStringRedisTemplate redis, Keyspace keyspace,
            PendingGateways pendingGateways) {
        this.store = store;
        this.redis = redis;
        this.keyspace = keyspace;
        this.pendingGateways = pendingGateways;
    }

    /** Moves a lease's end: "renewed", "missing" (no live mapping on the port) or "no_lease". */
    Mono<String> renew(GatewayId gateway, ConnPort port, Instant expiresAt, Instant now) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        return store.run(RENEW, List.of(keys.mappings(), keys.leases()), List.of(Integer.toString(port.value()),
                Long.toString(expiresAt.toEpochMilli()), expiresAt.toString(), now.toString())).next();
    }

    /** A mapping whose lease ran out, claimed by this replica and now being removed under {@code generation}. */
    record Expired(ConnPort port, long generation) {
    }

    /** Claims up to {@code limit} mappings whose lease ended by {@code now}, marking each as being removed. */
    Flux<Expired> expireDue(GatewayId gateway, Instant now, int limit, Instant republishDue) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        return store.run(EXPIRE, List.of(keys.generation(), keys.mappings(), keys.pending(), keys.leases()),
                        List.of(Long.toString(now.toEpochMilli()), Integer.toString(limit), now.toString(),
                                Long.toString(republishDue.toEpochMilli())))
                .flatMap(reply -> reply.isEmpty() ? Mono.just(reply)
                        : pendingGateways.noteAfterWrite(gateway).thenReturn(reply))
                .flatMapIterable(reply -> {
                    List<Expired> expired = new ArrayList<>(reply.size() / 2);
                    for (int i = 0; i + 1 < reply.size(); i += 2) {
                        expired.add(new Expired(ConnPort.of(PortMapStore.asInt(reply.get(i))),
                                PortMapStore.asLong(reply.get(i + 1))));
                    }
                    return expired;
                });
    }

    /** The gateways that have had a leased mapping (see {@link Keyspace#leasedGateways()}). */
    Flux<GatewayId> leasedGateways() {
        return redis.opsForSet().members(keyspace.leasedGateways()).map(GatewayId::of);
    }

    /**
     * Notes every gateway holding a lease in the set the sweep visits: leases recorded before
     * the set existed (or by a replica that did not keep it) are then swept too. Returns how many.
     */
    Mono<Long> noteLeasedGateways() {
        return store.gateways()
                .filterWhen(gateway -> redis.opsForZSet().size(keyspace.of(gateway).leases()).map(leases -> leases > 0))
                .concatMap(gateway -> redis.opsForSet().add(keyspace.leasedGateways(), gateway.value()))
                .count();
    }
}
