package org.vlab.ipam.testsupport;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import java.util.UUID;

/**
 * A test's own slice of Redis: a unique key prefix (and, for code that builds its own keys
 * from gateway ids, unique gateway ids from {@link #uniqueName}), and a connection to look at
 * what the code under test wrote. Closing deletes every key under the prefix.
 */
public final class TestRedis implements AutoCloseable {

    private final RedisEndpoint endpoint;
    private final String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    TestRedis(RedisEndpoint endpoint) {
        this.endpoint = endpoint;
        this.client = RedisClient.create(RedisURI.create(endpoint.host(), endpoint.port()));
        this.connection = client.connect();
    }

    public String keyPrefix() {
        return prefix;
    }

    /** A name no other test uses, safe as a gateway id: letters, digits and '-'. */
    public static String uniqueName(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    public Map<String, String> springProperties() {
        return Map.of("spring.data.redis.host", endpoint.host(), "spring.data.redis.port",
                Integer.toString(endpoint.port()), "ipam.test.redis-key-prefix", prefix);
    }

    /** Deletes every key that starts with {@code pattern}'s literal prefix (a SCAN MATCH glob). */
    public long deleteKeys(String pattern) {
        RedisCommands<String, String> redis = commands();
        long deleted = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(500));
            if (!page.getKeys().isEmpty()) {
                deleted += redis.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
        return deleted;
    }

    @Override
    public void close() {
        try {
            deleteKeys(prefix + "*");
        } finally {
            connection.close();
            client.shutdown();
        }
    }
}
