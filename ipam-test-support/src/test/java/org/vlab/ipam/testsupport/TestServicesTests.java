package org.vlab.ipam.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TestServicesTests {

    @Test
    void failsWithOneMessageNamingBothOptionsWhenNothingIsReachable() {
        // Port 1 on loopback: nothing listens there, and the attempt never leaves the machine.
        Map<String, String> env = Map.of("IPAM_TEST_RABBITMQ_PORT", "1", "IPAM_TEST_REDIS_PORT", "1");

        assertThatIllegalStateException().isThrownBy(() -> TestServices.find(env::get, () -> false))
                .withMessageContaining("No Docker engine is available for Testcontainers")
                .withMessageContaining("RabbitMQ at 127.0.0.1:1")
                .withMessageContaining("Redis at 127.0.0.1:1")
                .withMessageContaining("either start a Docker engine, or start the local services");
    }

    @Test
    void refusesToFallBackWhenContainersAreDemanded() {
        Map<String, String> env = Map.of("IPAM_TEST_SERVICES", "containers");

        assertThatIllegalStateException().isThrownBy(() -> TestServices.find(env::get, () -> false))
                .withMessageContaining("no Docker engine");
    }

    @Test
    void usesTheLocalServicesWithoutDocker() {
        TestServices local = TestServices.find(name -> null, () -> false);

        assertThat(local.rabbit().amqpPort()).isEqualTo(5672);
        assertThat(local.redis().port()).isEqualTo(6379);
    }
}
