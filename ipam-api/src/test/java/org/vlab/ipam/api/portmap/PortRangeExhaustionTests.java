package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;
import static org.vlab.ipam.events.PortMapRequested.Action.CREATE;
import static org.vlab.ipam.events.PortMapRequested.Action.REMOVE;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.testsupport.TestRedis;

/** A gateway whose connection-port range is used up answers 409, and a released port is handed out again. */
@TestPropertySource(properties = {"ipam.port-min=50000", "ipam.port-max=50002"})
class PortRangeExhaustionTests extends LiveApiTestBase {

    @Test
    void answers409NamingTheGatewayAndItsRangeOnceEveryPortIsUsed() {
        String gateway = TestRedis.uniqueName("full");
        FakeAgent agent = agent(gateway);
        Set<Integer> ports = new HashSet<>();
        for (int i = 1; i <= 3; i++) {
            Answer created = api.post(gateway, target("192.168.1." + i, 22, "m" + i, "Linux"));
            assertThat(created.status()).isEqualTo(200);
            ports.add(created.content().get("conn_port").asInt());
        }
        assertThat(ports).containsExactlyInAnyOrder(50000, 50001, 50002);

        Answer full = api.post(gateway, target("192.168.1.4", 22, "m4", "Linux"));

        assertThat(full.status()).isEqualTo(409);
        assertThat(full.error()).isEqualTo("No free connection port on gateway " + gateway + " (range 50000-50002)");
        assertThat(fieldNames(full.body())).containsExactly("error", "content", "params");
        assertThat(redis.commands().hlen(redis.keyPrefix() + "{" + gateway + "}:maps")).isEqualTo(3);
        assertThat(agent.received()).hasSize(3);

        assertThat(api.delete(gateway, 50001).status()).isEqualTo(200);
        Answer reused = api.post(gateway, target("192.168.1.4", 22, "m4", "Linux"));
        assertThat(reused.status()).isEqualTo(200);
        assertThat(reused.content().get("conn_port").asInt()).isEqualTo(50001);
        assertThat(agent.received()).extracting(PortMapRequested::action).as("no command for the refused create")
                .containsExactly(CREATE, CREATE, CREATE, REMOVE, CREATE);
    }

    @Test
    void oneGatewaysFullRangeDoesNotStopAnother() {
        String busy = TestRedis.uniqueName("busy");
        String idle = TestRedis.uniqueName("idle");
        agent(busy);
        agent(idle);
        for (int i = 1; i <= 3; i++) {
            assertThat(api.post(busy, target("192.168.1." + i, 22, "m" + i, "Linux")).status()).isEqualTo(200);
        }

        assertThat(api.post(busy, target("192.168.1.9", 22, "m9", "Linux")).status()).isEqualTo(409);
        assertThat(api.post(idle, target("192.168.1.9", 22, "m9", "Linux")).status()).isEqualTo(200);
    }
}
