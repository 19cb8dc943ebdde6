package org.vlab.ipam.api.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.vlab.ipam.api.ApiProperties;

/** {@code ipam.usage.*}: its defaults, and the values that stop the API at start. */
class UsagePropertiesTests {

    @Test
    void countsByDefaultWithoutCheckingPublishersAndRemembers1024Batches() {
        contextWith().run(context -> {
            ApiProperties.Usage usage = context.getBean(ApiProperties.class).usage();
            assertThat(usage.enabled()).isTrue();
            assertThat(usage.publishers()).isEmpty();
            assertThat(usage.rememberedBatches()).isEqualTo(1024);
        });
        contextWith("ipam.usage.enabled=false", "ipam.usage.publishers=logs-{gateway}",
                "ipam.usage.remembered-batches=16").run(context -> {
                    ApiProperties.Usage usage = context.getBean(ApiProperties.class).usage();
                    assertThat(usage.enabled()).isFalse();
                    assertThat(usage.publishers()).containsExactly("logs-{gateway}");
                    assertThat(usage.rememberedBatches()).isEqualTo(16);
                });
    }

    @Test
    void refusesToStartWithTooFewOrTooManyRememberedBatches() {
        for (String bad : List.of("0", "15", "100001", "-1")) {
            contextWith("ipam.usage.remembered-batches=" + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause().hasMessageContaining("usage.rememberedBatches");
            });
        }
    }

    @Test
    void refusesToStartWithAPublisherThatIsNoUserName() {
        contextWith("ipam.usage.publishers=logs-{gateway}{gateway}").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("usage.publishers[0]")
                    .hasMessageContaining("must be a RabbitMQ user name holding {gateway} at most once");
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
