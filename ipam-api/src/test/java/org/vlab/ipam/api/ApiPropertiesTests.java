package org.vlab.ipam.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code ipam.*} settings of the extensions (port cool-down, leases) that stop the API at start. */
class ApiPropertiesTests {

    @Test
    void boundsThePortCooldownToZeroUpToADay() {
        for (String bad : new String[] {"-1s", "25h"}) {
            contextWith("ipam.port-cooldown=" + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause()
                        .hasMessageContaining("ipam.port-cooldown must be between 0 (no cool-down) and 24 hours");
            });
        }
        contextWith("ipam.port-cooldown=0s").run(context ->
                assertThat(context.getBean(ApiProperties.class).portCooldown()).isZero());
        contextWith().run(context ->
                assertThat(context.getBean(ApiProperties.class).portCooldown()).isEqualTo(Duration.ofMinutes(10)));
    }

    @Test
    void boundsTheLeaseSweepIntervalTo100MillisecondsUpToAMinute() {
        for (String bad : new String[] {"50ms", "0s", "2m"}) {
            contextWith("ipam.lease-sweep-interval=" + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause()
                        .hasMessageContaining("ipam.lease-sweep-interval must be between 100 ms and 1 minute");
            });
        }
        contextWith().run(context ->
                assertThat(context.getBean(ApiProperties.class).leaseSweepInterval()).isEqualTo(Duration.ofSeconds(1)));
    }

    private static ApplicationContextRunner contextWith(String... properties) {
        return new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("ipam.vlab-url=https://vlab.test").withPropertyValues(properties);
    }

    @EnableConfigurationProperties(ApiProperties.class)
    static class PropertiesOnly {
    }
}
