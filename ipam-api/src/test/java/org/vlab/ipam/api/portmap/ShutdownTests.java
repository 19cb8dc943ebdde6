package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * An operator stopping a replica reads its log for what went wrong: the background rounds
 * (lease sweep, pending commands) stop as shutdown begins, before the Redis connection
 * does, so a clean stop logs no failed rounds.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class ShutdownTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");

    @Test
    void stopsItsBackgroundRoundsBeforeRedisSoACleanStopLogsNoFailedRound(TestVhost vhost, TestRedis redis,
            CapturedOutput output) {
        ApiReplica replica = ApiReplica.start(vhost, redis, TOKENS,
                Map.of("ipam.lease-sweep-interval", "100ms", "ipam.republish-after", "3s"));
        replica.close();

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> !output.toString().contains("failed this round"));
        assertThat(output.toString()).doesNotContain("failed this round").doesNotContain("Redis is not connected");
    }
}
