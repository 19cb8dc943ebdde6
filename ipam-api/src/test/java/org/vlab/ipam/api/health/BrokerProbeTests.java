package org.vlab.ipam.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.vlab.ipam.testsupport.FreePort;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.RabbitEndpoint;
import org.vlab.ipam.testsupport.TestServices;

/** The probe against the real broker: an open connection answers at once, a lost one is checked again. */
@IntegrationTest
class BrokerProbeTests {

    private final RabbitEndpoint rabbit = TestServices.get().rabbit();
    private final CachingConnectionFactory factory = new CachingConnectionFactory(rabbit.host(), rabbit.amqpPort());

    @AfterEach
    void close() {
        factory.destroy();
    }

    @Test
    void whileTheConnectionIsOpenEveryAnswerIsYesWithoutConnectingAgain() {
        factory.setUsername(rabbit.username());
        factory.setPassword(rabbit.password());
        AtomicInteger connects = new AtomicInteger();
        factory.addConnectionListener(connection -> connects.incrementAndGet());
        BrokerProbe probe = new BrokerProbe(factory);

        for (int i = 0; i < 100; i++) {
            assertThat(probe.reachable().block(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(connects).hasValue(1);

        factory.resetConnection();
        assertThat(probe.reachable().block(Duration.ofSeconds(5))).as("a closed connection is opened again").isTrue();
        assertThat(connects).hasValue(2);
    }

    @Test
    void aBrokerThatCannotBeReachedIsNoWithinTheTimeout() throws Exception {
        int closedPort = FreePort.next();
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", closedPort);
        try {
            BrokerProbe probe = new BrokerProbe(nowhere);
            long started = System.nanoTime();

            assertThat(probe.reachable().block(Duration.ofSeconds(5))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BrokerProbe.TIMEOUT.plusMillis(500));
        } finally {
            nowhere.destroy();
        }
    }
}
