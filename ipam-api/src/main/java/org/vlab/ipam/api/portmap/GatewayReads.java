package org.vlab.ipam.api.portmap;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.api.redis.LegacyLayout;
import org.vlab.ipam.api.redis.LuaScripts;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Mono;

/**
 * Reads what GET /portmap and /addr show of a gateway in one Redis round trip (one script):
 * registry, the filtered mappings from the index, their reachability and their usage.
 */
@Component
public class GatewayReads {

    private static final RedisScript<List> READ = LuaScripts.of(List.class, "portmap-read", "usage-fields",
            "usage-summary");

    private final ReactiveStringRedisTemplate redis;
    private final Keyspace keyspace;
    private final LegacyLayout legacy;

    private final Clock clock;

    GatewayReads(ReactiveStringRedisTemplate redis, Keyspace keyspace, LegacyLayout legacy, Clock clock) {
        this.redis = redis;
        this.keyspace = keyspace;
        this.legacy = legacy;
        this.clock = clock;
    }

    /** Exact-match filters combined with AND; null means any. */
    public record Filter(Integer connPort, String name, String targetAddr, String component, Integer targetPort) {
    }

    public Mono<GatewayView> read(GatewayId gateway, Filter filter) {
        Keyspace.Gateway keys = keyspace.of(gateway);
        List<String> args = List.of(text(filter.connPort()), text(filter.name()), text(filter.targetAddr()),
                text(filter.component()), text(filter.targetPort()),
                Long.toString(MappingUsage.epochHour(clock.instant())));
        return legacy.converted()
                .then(redis.execute(READ, List.of(keys.mappings(), keys.index(), keys.reachability(), keys.registry(),
                                keys.usage()),
                        args).next())
                .map(reply -> GatewayView.of(pairs((List<?>) reply.get(0)), (List<?>) reply.get(1),
                        pairs((List<?>) reply.get(2)), pairs((List<?>) reply.get(3))));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    static Map<String, String> pairs(List<?> flat) {
        Map<String, String> map = new HashMap<>(Math.max(4, flat.size()));
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put(flat.get(i).toString(), flat.get(i + 1).toString());
        }
        return map;
    }
}
