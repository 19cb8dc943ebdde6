package org.vlab.ipam.bench.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * The Redis baseline makes the calls the API makes, with the API's scripts as they are in this
 * checkout: when a script gains a key or an argument, this fails here instead of the baseline
 * failing every call in a benchmark run (real Redis).
 */
@IntegrationTest
class RedisScriptCallsTests {

    static final Path API_SCRIPTS = Path.of("..", "ipam-api", "src", "main", "resources", "redis");

    @Test
    void aCreateAndItsConfirmSucceedWithTheApiScriptsOfThisCheckout(TestRedis redis) throws Exception {
        GatewayId gateway = GatewayId.of(TestRedis.uniqueName("bench"));
        Map<String, String> properties = redis.springProperties();
        try (RedisScriptCalls calls = new RedisScriptCalls(properties.get("spring.data.redis.host"),
                Integer.parseInt(properties.get("spring.data.redis.port")), redis.keyPrefix(), API_SCRIPTS,
                List.of(gateway), 50000, 50009)) {
            for (int index = 0; index < 3; index++) {
                assertThat(calls.start(index).get()).as("create %d and its confirm", index).isNull();
            }
        }

        Map<String, String> maps = redis.commands().hgetall(redis.keyPrefix() + "{" + gateway.value() + "}:maps");
        assertThat(maps).hasSize(3);
        assertThat(maps.values()).allSatisfy(json -> assertThat(json).contains("\"state\":\"applied\""));
        assertThat(redis.commands().zcard(redis.keyPrefix() + "{" + gateway.value() + "}:pending")).isZero();
    }
}
