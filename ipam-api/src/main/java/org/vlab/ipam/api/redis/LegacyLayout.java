package org.vlab.ipam.api.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Mono;

/**
 * Converts the keys of the first Redis layout (one key per mapping, address and idempotency
 * record) into the gateway hashes of {@link Keyspace}, once: at start, every gateway that holds
 * old keys is converted by one atomic script, then a marker says it is done. Until then every
 * read and write of mappings waits for it ({@link #converted()}), so nothing is read or
 * allocated from a half-converted gateway. Replicas of the first layout must be stopped first.
 */
@Component
public class LegacyLayout {

    private static final Logger log = LoggerFactory.getLogger(LegacyLayout.class);
    private static final RedisScript<List> CONVERT = LuaScripts.of(List.class, "legacy-convert");
    private static final String DONE = "2";
    private static final int RETRIES = 5;

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;
    private final Duration idempotencyTtl;
    private final Pattern oldKey;
    private volatile boolean done;
    private volatile Mono<Void> running;

    LegacyLayout(ReactiveStringRedisTemplate redis, Keyspace keyspace, ApiProperties properties) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.idempotencyTtl = properties.idempotencyTtl();
        this.oldKey = Pattern.compile(Pattern.quote(keyspace.prefix()) + "\\{([^}]+)\\}:(ports|map:\\d+|addr:.+|idempotency:.+)");
    }

    @EventListener(ApplicationReadyEvent.class)
    void convertAtStart() {
        converted().subscribe(null, e -> log.warn("could not convert the first Redis layout yet: {}", e.toString()));
    }

    /** Completes once no key of the first layout is left; retried on the next call after a failure. */
    public Mono<Void> converted() {
        if (done) {
            return Mono.empty();
        }
        Mono<Void> current = running;
        if (current == null) {
            synchronized (this) {
                if (running == null) {
                    running = convertAll().doOnSuccess(v -> done = true).doOnError(e -> running = null).cache();
                }
                current = running;
            }
        }
        return current;
    }

    private Mono<Void> convertAll() {
        return redis.opsForValue().get(keyspace.layoutMarker())
                .filter(DONE::equals)
                .map(marker -> 0L)
                .switchIfEmpty(Mono.defer(() -> redis.scan(ScanOptions.scanOptions()
                                .match(keyspace.prefix() + "{*}:*").count(1000).build())
                        .collect(TreeMap<String, OldKeys>::new, this::classify)
                        .flatMapMany(byGateway -> reactor.core.publisher.Flux.fromIterable(byGateway.entrySet()))
                        .concatMap(entry -> convert(GatewayId.of(entry.getKey()), entry.getValue(), RETRIES))
                        .count()
                        .flatMap(gateways -> redis.opsForValue().set(keyspace.layoutMarker(), DONE).thenReturn(gateways)
                                // no old key is left either way: the marker only spares the next start a scan
                                .onErrorResume(e -> {
                                    log.warn("could not mark the first layout converted: {}", e.toString());
                                    return Mono.just(gateways);
                                }))
                        .doOnNext(gateways -> log.info("converted {} gateways of the first Redis layout", gateways))))
                .then();
    }

    /** The old keys of one gateway, found by the scan. */
    private record OldKeys(List<String> addresses, List<String> idempotency) {
    }

    private void classify(Map<String, OldKeys> byGateway, String key) {
        Matcher matcher = oldKey.matcher(key);
        if (matcher.matches()) {
            OldKeys keys = byGateway.computeIfAbsent(matcher.group(1), g -> new OldKeys(new ArrayList<>(), new ArrayList<>()));
            if (matcher.group(2).startsWith("addr:")) {
                keys.addresses().add(key);
            } else if (matcher.group(2).startsWith("idempotency:")) {
                keys.idempotency().add(key);
            }
        }
    }

    /** The mapping keys come from the used-port set; the script refuses if that set changed meanwhile. */
    private Mono<List> convert(GatewayId gateway, OldKeys old, int retries) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        String usedPorts = keys.base() + "ports";
        return redis.opsForSet().members(usedPorts).map(port -> keys.base() + "map:" + port).collectList()
                .flatMap(maps -> {
                    List<String> declared = new ArrayList<>(List.of(keys.mappings(), keys.index(), keys.reachability(),
                            keys.idempotencyRecords(), keys.idempotencyExpiry(), keys.pool(), usedPorts));
                    declared.addAll(maps);
                    declared.addAll(old.addresses());
                    declared.addAll(old.idempotency());
                    return redis.execute(CONVERT, declared, List.of(Integer.toString(maps.size()),
                                    Integer.toString(old.addresses().size()), Integer.toString(old.idempotency().size()),
                                    keys.base(), Long.toString(idempotencyTtl.toMillis())))
                            .next();
                })
                .flatMap(reply -> {
                    if ("retry".equals(reply.get(0)) && retries > 0) {
                        return convert(gateway, old, retries - 1);
                    }
                    if ("retry".equals(reply.get(0))) {
                        return Mono.error(new IllegalStateException("the old keys of " + gateway + " kept changing"));
                    }
                    log.info("converted {}: {} mappings, {} addresses, {} idempotency records", gateway, reply.get(1),
                            reply.get(2), reply.get(3));
                    return Mono.just(reply);
                });
    }
}
