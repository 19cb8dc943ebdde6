package org.vlab.ipam.api.portmap;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.api.redis.LegacyLayout;
import org.vlab.ipam.api.redis.LuaScripts;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.PortRange;
import org.vlab.ipam.domain.Protocol;
import org.vlab.ipam.events.PortMapTarget;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The port maps of every gateway in Redis. Each change is one Lua script, so it is atomic:
 * a port is never handed out twice, and a crash never leaves it both free and used.
 */
@Component
class PortMapStore {

    private static final RedisScript<List> CREATE = LuaScripts.of(List.class, "portmap-create", "mapping-wanted");
    private static final RedisScript<List> REMOVE = script("portmap-remove", List.class);
    private static final RedisScript<Long> UNDO = LuaScripts.of(Long.class, "portmap-undo", "usage-fields",
            "release-mapping");
    private static final RedisScript<String> CONFIRM = LuaScripts.of(String.class, "portmap-confirm", "usage-fields",
            "release-mapping");
    private static final RedisScript<List> CLAIM_DUE = script("portmap-claim-due", List.class);
    private static final RedisScript<List> SNAPSHOT = LuaScripts.of(List.class, "portmap-snapshot", "usage-fields",
            "usage-summary");

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;
    private final LegacyLayout legacy;
    private final PendingGateways pendingGateways;
    private final String cooldownMillis;

    PortMapStore(ReactiveStringRedisTemplate redis, Keyspace keyspace, LegacyLayout legacy,
            PendingGateways pendingGateways, ApiProperties properties) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.legacy = legacy;
        this.pendingGateways = pendingGateways;
        this.cooldownMillis = Long.toString(properties.portCooldown().toMillis());
    }

    /** Runs a script once the first layout's keys are converted, so it never sees half a gateway. */
    <T> Flux<T> run(RedisScript<T> script, List<String> keys, List<String> args) {
        return legacy.converted().thenMany(redis.execute(script, keys, args));
    }

    private static <T> RedisScript<T> script(String name, Class<T> type) {
        return LuaScripts.of(type, name);
    }

    sealed interface Creation {
        /** {@code expiresAt}: the lease's end, null without one. */
        record Created(ConnPort port, long generation, Instant expiresAt) implements Creation { }
        /** The Idempotency-Key's mapping, still there, with its lease's end (null: none). */
        record Existing(ConnPort port, long generation, String state, Instant expiresAt) implements Creation { }
        /** The Idempotency-Key's mapping is gone: {@code what} is failed, removed or removing. */
        record Gone(ConnPort port, String what, String reason) implements Creation { }
        record RangeExhausted() implements Creation { }
        record IdempotencyConflict() implements Creation { }
    }

    /** Idempotency: the key the client sent (hashed), a fingerprint of its request body, and the key as sent. */
    record Idempotency(String key, String fingerprint, String sent) {
        static final Idempotency NONE = new Idempotency("", "", "");
    }

    /** Creates a mapping; {@code expiresAt} null: no lease. */
    Mono<Creation> create(GatewayId gateway, PortRange range, PortMapTarget target, Instant now, String requestId,
            Idempotency idempotency, long idempotencyTtlMillis, Instant republishDue, Instant expiresAt) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        List<String> keyList = List.of(keys.generation(), keys.mappings(), keys.freePorts(), keys.pool(),
                keys.pending(), keys.index(), keys.idempotencyRecords(), keys.idempotencyExpiry(), keys.cooling(),
                keys.leases());
        List<String> args = List.of(Integer.toString(range.min()), Integer.toString(range.max()),
                target.addr().toString(), Integer.toString(target.port().value()), target.name().value(),
                target.component().value(), now.toString(), requestId, idempotency.key(), idempotency.fingerprint(),
                Long.toString(idempotencyTtlMillis), Long.toString(republishDue.toEpochMilli()),
                expiresAt == null ? "" : Long.toString(expiresAt.toEpochMilli()), expiresAt == null ? "" : expiresAt.toString(),
                target.protocol() == Protocol.TCP ? "" : target.protocol().wire(),
                target.allowedSources().isAny() ? "" : JsonMapper.shared().writeValueAsString(target.allowedSources()));
        // Before the script, so the lease sweep knows the gateway before any lease of it exists.
        Mono<Long> leased = expiresAt == null ? Mono.empty()
                : redis.opsForSet().add(keyspace.leasedGateways(), gateway.value());
        return redis.opsForSet().add(keyspace.gateways(), gateway.value())
                .then(leased)
                .then(run(CREATE, keyList, args).next())
                .flatMap(reply -> "created".equals(reply.get(0))
                        ? pendingGateways.noteAfterWrite(gateway).thenReturn(reply) : Mono.just(reply))
                .map(reply -> switch ((String) reply.get(0)) {
                    case "created" -> new Creation.Created(ConnPort.of(asInt(reply.get(1))), asLong(reply.get(2)),
                            expiresAt);
                    case "existing" -> new Creation.Existing(ConnPort.of(asInt(reply.get(1))), asLong(reply.get(2)),
                            (String) reply.get(3), reply.size() > 4 && !"".equals(reply.get(4))
                                    ? Instant.parse((String) reply.get(4)) : null);
                    case "gone" -> new Creation.Gone(ConnPort.of(asInt(reply.get(1))), (String) reply.get(2),
                            (String) reply.get(3));
                    case "full" -> new Creation.RangeExhausted();
                    case "idempotency_conflict" -> new Creation.IdempotencyConflict();
                    default -> throw new IllegalStateException("unexpected create reply " + reply);
                });
    }

    sealed interface Removal {
        /** Marked as being removed; what it was before ({@code previousError}, {@code previousRemovalReason}: "" when none). */
        record Removing(long generation, String previousState, long previousGeneration, String previousError,
                String previousRemovalReason) implements Removal { }
        record Missing() implements Removal { }
    }

    Mono<Removal> remove(GatewayId gateway, ConnPort port, Instant now, String requestId, Instant republishDue) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        return run(REMOVE, List.of(keys.generation(), keys.mappings(), keys.pending()),
                        List.of(Integer.toString(port.value()), now.toString(),
                                Long.toString(republishDue.toEpochMilli()), requestId))
                .next()
                .flatMap(reply -> "missing".equals(reply.get(0)) ? Mono.just(reply)
                        : pendingGateways.noteAfterWrite(gateway).thenReturn(reply))
                .map(reply -> "missing".equals(reply.get(0)) ? new Removal.Missing()
                        : new Removal.Removing(asLong(reply.get(1)), (String) reply.get(2), Long.parseLong((String) reply.get(3)),
                                (String) reply.get(4), (String) reply.get(5)));
    }

    /** Undoes a create whose command could not be published, unless something changed the mapping since. */
    Mono<Boolean> undoCreate(GatewayId gateway, ConnPort port, long generation, Idempotency idempotency) {
        return undo(gateway, port, List.of(Integer.toString(port.value()), Long.toString(generation), "", "0",
                idempotency.key(), idempotency.fingerprint(), "", ""));
    }

    /** Undoes a remove whose command could not be published: the mapping is as it was, unless something changed it since. */
    Mono<Boolean> undoRemove(GatewayId gateway, ConnPort port, Removal.Removing removing) {
        return undo(gateway, port, List.of(Integer.toString(port.value()), Long.toString(removing.generation()),
                removing.previousState(), Long.toString(removing.previousGeneration()), Idempotency.NONE.key(),
                Idempotency.NONE.fingerprint(), removing.previousError(), removing.previousRemovalReason()));
    }

    private Mono<Boolean> undo(GatewayId gateway, ConnPort port, List<String> args) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        return run(UNDO, List.of(keys.mappings(), keys.freePorts(), keys.pool(), keys.pending(),
                        keys.index(), keys.idempotencyRecords(), keys.idempotencyExpiry(), keys.leases(),
                        keys.usage()), args)
                .next().map(undone -> undone == 1L);
    }

    enum Outcome { APPLIED, FAILED, REMOVED }

    /** Records an agent's confirmation; answers the resulting state, or "ignored" for a stale or duplicate event. */
    Mono<String> confirm(GatewayId gateway, ConnPort port, long generation, Outcome outcome, String failedAction,
            String reason, Instant now) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        return run(CONFIRM, List.of(keys.mappings(), keys.freePorts(), keys.pool(), keys.pending(),
                        keys.index(), keys.idempotencyRecords(), keys.cooling(), keys.leases(),
                        keys.usage()),
                List.of(Integer.toString(port.value()), Long.toString(generation), outcome.name().toLowerCase(Locale.ROOT),
                        failedAction == null ? "" : failedAction, reason == null ? "" : reason, now.toString(),
                        gateway.value(), keyspace.changes(), cooldownMillis))
                .next();
    }

    Mono<Mapping> find(GatewayId gateway, ConnPort port) {
        return legacy.converted().then(redis.<String, String>opsForHash()
                .get(keyspace.of(gateway).mappings(), Integer.toString(port.value())))
                .map(Mapping::fromJson);
    }

    /**
     * The generation counter and every mapping of a gateway, read atomically, with the usage
     * summary (see {@link MappingUsage}) of the ports that have any.
     */
    record Snapshot(long generation, List<Mapping> mappings, java.util.Map<String, String> usage) {
    }

    Mono<Snapshot> snapshot(GatewayId gateway, Instant now) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        return run(SNAPSHOT, List.of(keys.generation(), keys.mappings(), keys.usage()),
                        List.of(Long.toString(MappingUsage.epochHour(now))))
                .next()
                .map(reply -> {
                    List<Mapping> mappings = new java.util.ArrayList<>(reply.size());
                    for (Object json : reply.subList(1, reply.size() - 1)) {
                        mappings.add(Mapping.fromJson(json.toString()));
                    }
                    mappings.sort(java.util.Comparator.comparing(Mapping::connPort));
                    return new Snapshot(Long.parseLong(reply.get(0).toString()), List.copyOf(mappings),
                            GatewayReads.pairs((List<?>) reply.get(reply.size() - 1)));
                });
    }

    Mono<Long> generation(GatewayId gateway) {
        return redis.opsForValue().get(keyspace.of(gateway).generation()).map(Long::parseLong).defaultIfEmpty(0L);
    }

    Mono<Long> usedPorts(GatewayId gateway) {
        return redis.opsForHash().size(keyspace.of(gateway).mappings());
    }

    Mono<Long> pendingCount(GatewayId gateway) {
        return redis.opsForZSet().size(keyspace.of(gateway).pending());
    }

    Flux<GatewayId> gateways() {
        return redis.opsForSet().members(keyspace.gateways()).map(GatewayId::of);
    }

    /** The ports whose command is due again, and how many of the gateway's commands are pending in all. */
    record Due(long pending, List<ConnPort> ports) {
    }

    /** Claims up to {@code limit} ports whose command is due again, pushing their next due time out. */
    Mono<Due> claimDue(GatewayId gateway, Instant now, Instant nextDue, int limit) {
        return run(CLAIM_DUE, List.of(keyspace.of(gateway).pending()),
                        List.of(Long.toString(now.toEpochMilli()), Long.toString(nextDue.toEpochMilli()),
                                Integer.toString(limit)))
                .next()
                .map(reply -> new Due(asLong(reply.get(0)), reply.subList(1, reply.size()).stream()
                        .map(port -> ConnPort.of(Integer.parseInt(port.toString()))).toList()));
    }

    static int asInt(Object value) {
        return (int) asLong(value);
    }

    static long asLong(Object value) {
        return value instanceof Long number ? number : Long.parseLong(value.toString());
    }
}
