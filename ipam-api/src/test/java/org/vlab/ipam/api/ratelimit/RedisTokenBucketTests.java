package org.vlab.ipam.api.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestServices;

@IntegrationTest
class RedisTokenBucketTests {

    private final TestRedis redis;
    private LettuceConnectionFactory connections;
    private RedisTokenBucket bucket;

    RedisTokenBucketTests(TestRedis redis) {
        this.redis = redis;
    }

    @BeforeEach
    void connect() {
        var endpoint = TestServices.get().redis();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(endpoint.host(), endpoint.port()));
        connections.afterPropertiesSet();
        connections.start();
        bucket = new RedisTokenBucket(new ReactiveStringRedisTemplate(connections), redis.keyPrefix(), 2, 3);
    }

    @AfterEach
    void disconnect() {
        connections.destroy();
    }

    private Duration take(String user) {
        return bucket.take(user).block(Duration.ofSeconds(5));
    }

    @Test
    void letsABurstThroughThenAsksToWaitForTheNextToken() {
        String user = TestRedis.uniqueName("burst");

        assertThat(take(user)).isZero();
        assertThat(take(user)).isZero();
        assertThat(take(user)).isZero();
        Duration wait = take(user);

        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void refillsAtTheConfiguredRate() throws InterruptedException {
        String user = TestRedis.uniqueName("refill");
        for (int i = 0; i < 3; i++) {
            take(user);
        }
        assertThat(take(user)).isPositive();

        Thread.sleep(600);

        assertThat(take(user)).isZero();
        assertThat(take(user)).isPositive();
    }

    @Test
    void keepsSeparateBudgetsPerUser() {
        String alice = TestRedis.uniqueName("alice");
        String bob = TestRedis.uniqueName("bob");
        for (int i = 0; i < 3; i++) {
            take(alice);
        }

        assertThat(take(alice)).isPositive();
        assertThat(take(bob)).isZero();
    }

    @Test
    void storesTheBucketUnderTheUsersHashTagWithAnExpiry() {
        String user = TestRedis.uniqueName("ttl");
        take(user);

        String key = redis.keyPrefix() + "ratelimit:{" + user + "}";
        assertThat(bucket.key(user)).isEqualTo(key);
        assertThat(redis.commands().exists(key)).isEqualTo(1L);
        // one token short refills in 500 ms; the key lives that long plus a second of slack
        assertThat(redis.commands().pttl(key)).isPositive().isLessThanOrEqualTo(1500L);
    }
}
