package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.domain.GatewayId;

/** Which user may act for which gateway (snapshot requesters, event publishers), and which patterns and event settings stop the API at start. */
class GatewayUsersTests {

    private static final GatewayId ALICE = GatewayId.of("alice");
    private static final GatewayId BOB = GatewayId.of("bob");

    @Test
    void allowsOnlyTheUserThePatternNamesForTheRequestedGateway() {
        GatewayUsers requesters = new GatewayUsers(List.of("agent-{gateway}", "health-{gateway}"));

        assertThat(requesters.allows("agent-alice", ALICE)).isTrue();
        assertThat(requesters.allows("health-alice", ALICE)).isTrue();
        assertThat(requesters.allows("agent-alice", BOB)).isFalse();
        assertThat(requesters.allows("agent-", ALICE)).isFalse();
        assertThat(requesters.allows("alice", ALICE)).isFalse();
        assertThat(requesters.allows(null, ALICE)).isFalse();
    }

    @Test
    void allowsAPlainUserNameEveryGateway() {
        GatewayUsers requesters = new GatewayUsers(List.of("agent-{gateway}", "ipam-monitor"));

        assertThat(requesters.allows("ipam-monitor", ALICE)).isTrue();
        assertThat(requesters.allows("ipam-monitor", BOB)).isTrue();
        assertThat(requesters.allows("ipam-monitor-alice", ALICE)).isFalse();
    }

    @Test
    void allowsEveryRequestWhenNoPatternIsSet() {
        GatewayUsers requesters = new GatewayUsers(List.of());

        assertThat(requesters.checked()).isFalse();
        assertThat(requesters.allows(null, ALICE)).isTrue();
        assertThat(requesters.allows("agent-bob", ALICE)).isTrue();
    }

    @Test
    void bindsCommaSeparatedPatternsAndDefaultsToNone() {
        contextWith("ipam.snapshot-requesters=agent-{gateway},health-{gateway},ipam-monitor").run(context ->
                assertThat(context.getBean(ApiProperties.class).snapshotRequesters())
                        .containsExactly("agent-{gateway}", "health-{gateway}", "ipam-monitor"));
        contextWith().run(context ->
                assertThat(context.getBean(ApiProperties.class).snapshotRequesters()).isEmpty());
    }

    @Test
    void refusesToStartWithAPatternThatIsNoUserName() {
        for (String bad : List.of("agent-{gateway}-{gateway}", "agent {gateway}", "agent-{gw}", "agent-*")) {
            contextWith("ipam.snapshot-requesters=health-{gateway}," + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause()
                        .hasMessageContaining("snapshotRequesters[1]").hasMessageContaining("rejected value [" + bad + "]")
                        .hasMessageContaining("must be a RabbitMQ user name holding {gateway} at most once");
            });
        }
    }

    @Test
    void bindsEventPublishersAndTheClockSkewWithTheirDefaults() {
        contextWith("ipam.event-publishers=agent-{gateway},health-{gateway}", "ipam.event-clock-skew=5s").run(context -> {
            ApiProperties properties = context.getBean(ApiProperties.class);
            assertThat(properties.eventPublishers()).containsExactly("agent-{gateway}", "health-{gateway}");
            assertThat(properties.eventClockSkew()).isEqualTo(java.time.Duration.ofSeconds(5));
        });
        contextWith().run(context -> {
            ApiProperties properties = context.getBean(ApiProperties.class);
            assertThat(properties.eventPublishers()).isEmpty();
            assertThat(properties.eventClockSkew()).isEqualTo(java.time.Duration.ofSeconds(30));
        });
    }

    @Test
    void refusesToStartWithAnEventPublisherThatIsNoUserName() {
        for (String bad : List.of("agent-{gateway}{gateway}", "agent\n{gateway}", "agent-{id}")) {
            contextWith("ipam.event-publishers=" + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause()
                        .hasMessageContaining("eventPublishers[0]")
                        .hasMessageContaining("must be a RabbitMQ user name holding {gateway} at most once");
            });
        }
    }

    @Test
    void refusesToStartWithAClockSkewOutsideOneSecondToTenMinutes() {
        for (String bad : List.of("0s", "-5s", "500ms", "11m")) {
            contextWith("ipam.event-clock-skew=" + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause()
                        .hasMessageContaining("ipam.event-clock-skew must be between 1 second and 10 minutes");
            });
        }
        contextWith("ipam.event-clock-skew=10m").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void refusesToStartWithEventConsumersOutsideOneToSixtyFour() {
        for (String bad : List.of("0", "-1", "65")) {
            contextWith("ipam.event-consumers=" + bad).run(context -> {
                assertThat(context).as(bad).hasFailed();
                assertThat(context.getStartupFailure()).as(bad).rootCause()
                        .hasMessageContaining("ipam.event-consumers must be between 1 and 64");
            });
        }
        contextWith("ipam.event-consumers=64").run(context ->
                assertThat(context.getBean(ApiProperties.class).eventConsumers()).isEqualTo(64));
        contextWith().run(context -> assertThat(context.getBean(ApiProperties.class).eventConsumers()).isEqualTo(16));
    }

    private static ApplicationContextRunner contextWith(String... properties) {
        return new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("ipam.vlab-url=https://vlab.test").withPropertyValues(properties);
    }

    @EnableConfigurationProperties(ApiProperties.class)
    static class PropertiesOnly {
    }
}
