package org.vlab.ipam.api.usage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.api.redis.LegacyLayout;
import org.vlab.ipam.api.redis.LuaScripts;
import org.vlab.ipam.api.usage.ForwardedConnections.Connection;
import org.vlab.ipam.api.usage.ForwardedConnections.Drop;
import reactor.core.publisher.Mono;

/**
 * Counts an admitted batch's connections into its gateway's usage hash with one script call
 * per batch (none for a batch without per-mapping records), once per batch id, grouped by port
 * and hour ({@link PortUsage}) so Redis works per port, and counts every record's outcome in
 * {@code ipam_usage_records_total{outcome}}.
 */
@Component
public class UsageRecorder {

    static final String METRIC = "ipam.usage.records";
    /** Batch ids older than this cannot matter: the counts cover 24 hours. */
    private static final Duration REMEMBER_AT_MOST = Duration.ofHours(24);

    private static final RedisScript<List> RECORD = LuaScripts.of(List.class, "usage-record", "usage-fields");

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;
    private final LegacyLayout legacy;
    private final int rememberedBatches;
    private final Counter counted;
    private final Map<Drop, Counter> dropped = new EnumMap<>(Drop.class);

    UsageRecorder(ReactiveStringRedisTemplate redis, Keyspace keyspace, LegacyLayout legacy, ApiProperties properties,
            MeterRegistry meters) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.legacy = legacy;
        this.rememberedBatches = properties.usage().rememberedBatches();
        this.counted = counter(meters, "counted");
        for (Drop drop : Drop.values()) {
            dropped.put(drop, counter(meters, drop.tag()));
        }
    }

    /** What became of a batch's connections. */
    public record Outcome(boolean duplicate, int counted, int unknownPort) {
    }

    /** Records the batch's connections as of {@code now} (the API's clock, which the 24 hours are counted on). */
    public Mono<Outcome> record(ForwardedConnections batch, Instant now) {
        batch.dropped().forEach((drop, count) -> dropped.get(drop).increment(count));
        List<Connection> connections = batch.connections();
        if (connections.isEmpty()) {
            return Mono.just(new Outcome(false, 0, 0));
        }
        Keyspace.Gateway keys = keyspace.of(batch.batch().gateway());
        List<String> args = new ArrayList<>(List.of(batch.batchId(), Long.toString(now.toEpochMilli()),
                Integer.toString(rememberedBatches), Long.toString(REMEMBER_AT_MOST.toMillis())));
        PortUsage.of(connections).forEach(port -> port.appendTo(args));
        return legacy.converted()
                .then(redis.execute(RECORD, List.of(keys.mappings(), keys.usage(), keys.usageBatches()), args).next())
                .map(reply -> outcome(reply, connections.size()));
    }

    private Outcome outcome(List<?> reply, int connections) {
        long first = ((Number) reply.get(0)).longValue();
        if (first < 0) {
            dropped.get(Drop.DUPLICATE_BATCH).increment(connections);
            return new Outcome(true, 0, 0);
        }
        int unknown = ((Number) reply.get(1)).intValue();
        counted.increment(first);
        dropped.get(Drop.UNKNOWN_PORT).increment(unknown);
        return new Outcome(false, (int) first, unknown);
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder(METRIC).description("Log records of forwarded connections the API read for usage, by outcome")
                .tag("outcome", outcome).register(meters);
    }
}
