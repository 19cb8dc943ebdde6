package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.vlab.ipam.api.ApiProperties;

/** The {@code ipam.auth.*} settings that stop the API at start. */
class AuthPropertiesTests {

    @Test
    void boundsTheLeewayToFiveMinutes() {
        for (String bad : new String[] {"-1s", "301s", "1h"}) {
            contextWith("ipam.auth.leeway=" + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause()
                        .hasMessageContaining("ipam.auth.leeway must be between 0 and 5 minutes");
            });
        }
        contextWith("ipam.auth.leeway=5m").run(context ->
                assertThat(context.getBean(ApiProperties.class).auth().leeway()).isEqualTo(Duration.ofMinutes(5)));
        contextWith("ipam.auth.leeway=0s").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void boundsTheKeyRefreshIntervals() {
        for (String bad : new String[] {"key-refresh-period=0s", "key-refresh-period=25h", "key-refresh-min-interval=500ms",
                "key-refresh-min-interval=2h"}) {
            contextWith("ipam.auth." + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause()
                        .hasMessageContaining("ipam.auth.key-refresh-period must be 1 s - 24 h");
            });
        }
        contextWith().run(context -> {
            ApiProperties.Auth auth = context.getBean(ApiProperties.class).auth();
            assertThat(auth.keyRefreshPeriod()).isEqualTo(Duration.ofMinutes(10));
            assertThat(auth.keyRefreshMinInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(auth.keyFetchAllowHttp()).isFalse();
        });
    }

    private static ApplicationContextRunner contextWith(String... properties) {
        return new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("ipam.vlab-url=https://vlab.test").withPropertyValues(properties);
    }

    @EnableConfigurationProperties(ApiProperties.class)
    static class PropertiesOnly {
    }
}
