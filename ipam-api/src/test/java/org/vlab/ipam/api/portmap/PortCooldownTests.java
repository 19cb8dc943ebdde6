package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.testsupport.TestRedis;

/**
 * A deleted mapping's port cools down (the default 10 minutes) before it is handed out again,
 * unless no other port is free; the cool-down is kept by Redis's clock in the cooling zset.
 */
@TestPropertySource(properties = {"ipam.port-min=50000", "ipam.port-max=50002"})
class PortCooldownTests extends LiveApiTestBase {

    int create(String gateway, int i) {
        var created = api.post(gateway, target("192.168.1." + i, 22, "m" + i, "Linux"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
        return created.content().get("conn_port").asInt();
    }

    String key(String gateway, String name) {
        return redis.keyPrefix() + "{" + gateway + "}:" + name;
    }

    @Test
    void aDeletedPortIsNotHandedOutAgainDuringItsCooldownWhileAnotherIsFree() {
        String gateway = TestRedis.uniqueName("cooldown");
        agent(gateway);
        int deleted = create(gateway, 1);
        assertThat(api.delete(gateway, deleted).status()).isEqualTo(200);

        int second = create(gateway, 2);
        int third = create(gateway, 3);

        assertThat(second).isNotEqualTo(deleted);
        assertThat(third).isNotEqualTo(deleted).isNotEqualTo(second);
        assertThat(redis.commands().zscore(key(gateway, "cooling"), Integer.toString(deleted))).isNotNull();
        assertThat(redis.commands().sismember(key(gateway, "free"), Integer.toString(deleted))).isFalse();
    }

    @Test
    void theOldestCoolingPortIsHandedOutWhenNoOtherIsFree() {
        String gateway = TestRedis.uniqueName("cooldown-full");
        agent(gateway);
        int first = create(gateway, 1);
        int second = create(gateway, 2);
        create(gateway, 3);
        assertThat(api.delete(gateway, first).status()).isEqualTo(200);
        assertThat(api.delete(gateway, second).status()).isEqualTo(200);

        assertThat(create(gateway, 4)).isEqualTo(first);
        assertThat(create(gateway, 5)).isEqualTo(second);
        assertThat(api.post(gateway, target("192.168.1.6", 22, "m6", "Linux")).status()).isEqualTo(409);
        assertThat(redis.commands().zcard(key(gateway, "cooling"))).isZero();
    }

    @Test
    void aPortWhoseCooldownIsOverIsFreeAgain() {
        String gateway = TestRedis.uniqueName("cooldown-over");
        agent(gateway);
        int deleted = create(gateway, 1);
        assertThat(api.delete(gateway, deleted).status()).isEqualTo(200);
        // its cool-down ends now, by Redis's clock (the score is when it may be handed out again)
        redis.commands().zadd(key(gateway, "cooling"), 0, Integer.toString(deleted));

        int next = create(gateway, 2);

        assertThat(redis.commands().zcard(key(gateway, "cooling"))).isZero();
        assertThat(next == deleted || redis.commands().sismember(key(gateway, "free"), Integer.toString(deleted)))
                .as("port %d taken (%d) or free again", deleted, next).isTrue();
    }
}
