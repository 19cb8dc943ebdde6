package org.vlab.ipam.logs.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTests {

    @Test
    void doublesUpToTheMaximumAndStartsOverWhenReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

        assertThat(new Duration[] {backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()})
                .containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                        Duration.ofSeconds(1), Duration.ofSeconds(1));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aFirstWaitAboveTheMaximumIsTheMaximum() {
        assertThat(new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).next()).isEqualTo(Duration.ofSeconds(1));
    }
}
