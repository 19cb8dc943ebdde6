package org.vlab.ipam.api.redis;

import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Writes a report (heartbeat, probe result) into a hash only when it is newer than the one
 * the hash holds, atomically, so a late or duplicated report never overwrites a fresher one.
 */
public final class RecordIfNewer {

    private static final RedisScript<Long> SCRIPT =
            RedisScript.of(new ClassPathResource("redis/record-if-newer.lua"), Long.class);

    private RecordIfNewer() {
    }

    /**
     * {@code fields} are name/value pairs; an empty value deletes the field. Answers whether the
     * report was newer and was written.
     */
    public static Mono<Boolean> write(ReactiveStringRedisTemplate redis, String key, String timeField, long epochMillis,
            List<String> fields) {
        List<String> args = new java.util.ArrayList<>(List.of(timeField, Long.toString(epochMillis)));
        args.addAll(fields);
        return redis.execute(SCRIPT, List.of(key), args).next().map(written -> written == 1L);
    }
}
