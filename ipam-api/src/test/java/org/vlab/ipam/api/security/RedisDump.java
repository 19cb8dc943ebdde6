package org.vlab.ipam.api.security;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every key under a prefix with its type, value and whether it expires, as sorted text, so two
 * dumps are equal exactly when nothing under the prefix changed (remaining TTLs are left out:
 * they shrink by themselves).
 */
final class RedisDump {

    private RedisDump() {
    }

    static Map<String, String> of(RedisCommands<String, String> redis, String prefix) {
        Map<String, String> dump = new TreeMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
            page.getKeys().forEach(key -> dump.put(key, describe(redis, key)));
            cursor = page;
        } while (!cursor.isFinished());
        return dump;
    }

    private static String describe(RedisCommands<String, String> redis, String key) {
        String type = redis.type(key);
        Object value = switch (type) {
            case "string" -> redis.get(key);
            case "hash" -> new TreeMap<>(redis.hgetall(key));
            case "set" -> new TreeSet<>(redis.smembers(key));
            case "zset" -> redis.zrangebyscoreWithScores(key, Range.unbounded());
            case "list" -> redis.lrange(key, 0, -1);
            default -> List.of("unexpected type");
        };
        boolean expires = redis.pttl(key) >= 0;
        return type + (expires ? " (expires) " : " ") + (value instanceof List<?> list ? new ArrayList<>(list) : value);
    }
}
