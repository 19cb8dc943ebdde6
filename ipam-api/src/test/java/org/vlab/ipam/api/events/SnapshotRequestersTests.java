package org.vlab.ipam.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.domain.GatewayId;

/** Which user may read which gateway's snapshot, and which patterns stop the API at start. */
class SnapshotRequestersTests {

    private static final GatewayId ALICE = GatewayId.of("alice");
    private static final GatewayId BOB = GatewayId.of("bob");

    @Test
    void allowsOnlyTheUserThePatternNamesForTheRequestedGateway() {
        SnapshotRequesters requesters = new SnapshotRequesters(List.of("agent-{gateway}", "health-{gateway}"));

        assertThat(requesters.allows("agent-alice", ALICE)).isTrue();
        assertThat(requesters.allows("health-alice", ALICE)).isTrue();
        assertThat(requesters.allows("agent-alice", BOB)).isFalse();
        assertThat(requesters.allows("agent-", ALICE)).isFalse();
        assertThat(requesters.allows("alice", ALICE)).isFalse();
        assertThat(requesters.allows(null, ALICE)).isFalse();
    }

    @Test
    void allowsAPlainUserNameEveryGateway() {
        SnapshotRequesters requesters = new SnapshotRequesters(List.of("agent-{gateway}", "ipam-monitor"));

        assertThat(requesters.allows("ipam-monitor", ALICE)).isTrue();
        assertThat(requesters.allows("ipam-monitor", BOB)).isTrue();
        assertThat(requesters.allows("ipam-monitor-alice", ALICE)).isFalse();
    }

    @Test
    void allowsEveryRequestWhenNoPatternIsSet() {
        SnapshotRequesters requesters = new SnapshotRequesters(List.of());

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

    private static ApplicationContextRunner contextWith(String... properties) {
        return new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("ipam.vlab-url=https://vlab.test").withPropertyValues(properties);
    }

    @EnableConfigurationProperties(ApiProperties.class)
    static class PropertiesOnly {
    }
}
