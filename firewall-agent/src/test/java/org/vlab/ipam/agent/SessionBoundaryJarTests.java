package org.vlab.ipam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.vlab.ipam.agent.testing.AgentOnGateway;
import org.vlab.ipam.agent.testing.ApiStandIn;
import org.vlab.ipam.agent.testing.GatewayLab;
import org.vlab.ipam.agent.testing.TcpSession;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The gateway's trust boundaries with real TCP: a removed or re-targeted mapping ends the
 * sessions it carried, although the gateway accepts ESTABLISHED connections like any real
 * host; and traffic the gateway merely routes is neither rewritten by a mapping nor walks the
 * per-mapping rules.
 */
@NetnsTest
@IntegrationTest
@TestInstance(Lifecycle.PER_CLASS)
class SessionBoundaryJarTests {

    private static final int LAB_PORT = 8022;
    private static final int OTHER_LAB_PORT = 8023;
    /** How long a revoked session may still pass data once the removal is confirmed. */
    private static final Duration SESSION_END = Duration.ofSeconds(1);
    private static final Duration PROBE = Duration.ofMillis(200);

    private AgentOnGateway setup;
    private GatewayLab gateway;
    private ApiStandIn api;

    /** One gateway and agent for the class (each test uses its own connection ports): the agent's start is what costs. */
    @BeforeAll
    void startAgent(TestVhost vhost) {
        setup = AgentOnGateway.start(vhost, Map.of("IPAM_FIREWALL_BACKEND", backend()), api -> { }, LAB_PORT,
                OTHER_LAB_PORT);
        gateway = setup.gateway();
        api = setup.api();
    }

    /** The backend under test; {@link NftablesSessionBoundaryJarTests} runs the same sessions through nftables. */
    String backend() {
        return "iptables";
    }

    private boolean nftables() {
        return "nftables".equals(backend());
    }

    @AfterAll
    void stopAgent() {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void aRemovedMappingsLongLivedSessionStopsPassingDataWithinASecond() {
        api.create(50001, AgentOnGateway.labTarget(LAB_PORT));
        setup.awaitState(50001, MappingState.APPLIED);
        TcpSession session = gateway.openSession(50001);
        await("the session echoes").atMost(Duration.ofSeconds(10)).until(() -> session.echoes(PROBE));
        assertThat(gateway.iptablesSave()).as("the host accepts established connections, as real gateways do")
                .contains("--ctstate RELATED,ESTABLISHED -m comment --comment admin-established -j ACCEPT");

        long asked = System.nanoTime();
        api.remove(50001);
        await("removal confirmed").atMost(AgentOnGateway.APPLY).until(() -> api.mapping(50001).isEmpty());
        long confirmed = System.nanoTime();

        await("the revoked session passes no data").atMost(SESSION_END).pollInterval(Duration.ofMillis(50))
                .until(() -> !session.echoes(PROBE));
        System.out.printf("[sessions] removal confirmed %d ms after it was sent; session dead %d ms after that%n",
                (confirmed - asked) / 1_000_000, (System.nanoTime() - confirmed) / 1_000_000);
        assertThat(session.echoes(Duration.ofSeconds(2))).as("a later probe, with time to spare").isFalse();
        assertThat(gateway.clientReachesLab(50001)).as("a new connection").isFalse();
        assertThat(setup.agent().outputLines()).anyMatch(line -> line.contains("deleted 1 tracked connections"));
    }

    @Test
    void aRetargetEndsTheSessionsToTheOldTargetAndNoOtherMappings() {
        api.create(50011, AgentOnGateway.labTarget(LAB_PORT));
        api.create(50012, AgentOnGateway.labTarget(LAB_PORT));
        setup.awaitState(50011, MappingState.APPLIED);
        setup.awaitState(50012, MappingState.APPLIED);
        TcpSession retargeted = gateway.openSession(50011);
        TcpSession sameTargetOtherPort = gateway.openSession(50012);
        await("both sessions echo").atMost(Duration.ofSeconds(10))
                .until(() -> retargeted.echoes(PROBE) && sameTargetOtherPort.echoes(PROBE));

        long retarget = api.create(50011, AgentOnGateway.labTarget(OTHER_LAB_PORT));
        await("re-target applied").atMost(AgentOnGateway.APPLY).until(() -> api.mapping(50011)
                .map(mapping -> mapping.generation() == retarget && mapping.state() == MappingState.APPLIED).orElse(false));

        await("the session to the old target passes no data").atMost(SESSION_END).pollInterval(Duration.ofMillis(50))
                .until(() -> !retargeted.echoes(PROBE));
        assertThat(sameTargetOtherPort.echoes(Duration.ofSeconds(2))).as("another mapping's session, same target")
                .isTrue();
        TcpSession toNewTarget = gateway.openSession(50011);
        await("a new session reaches the new target").atMost(Duration.ofSeconds(10))
                .until(() -> toNewTarget.echoes(PROBE));
        assertThat(gateway.onGateway("conntrack", "-L", "-p", "tcp", "--orig-port-dst", "50011"))
                .contains("sport=" + OTHER_LAB_PORT).doesNotContain("sport=" + LAB_PORT + " ");
    }

    @Test
    void routedTrafficIsNeitherDnatedNorWalksTheMappingRules() {
        // a mapping whose connection port is also a port the lab host serves itself; its target serves nothing
        int servedPort = 50021;
        gateway.startLabServer(servedPort);
        api.create(servedPort, AgentOnGateway.labTarget(9));
        setup.awaitState(servedPort, MappingState.APPLIED);
        gateway.routeClientToLab(servedPort);
        long intoDnat = gateway.packetsOfRules("-j VLAB-IPAM-DNAT");
        long intoMappings = gateway.packetsOfRules("-j VLAB-IPAM-FWD");
        long onMappingRules = gateway.packetsOfRules("-A VLAB-IPAM-FWD-");

        assertThat(gateway.clientReachesLabDirectly(servedPort)).as("routed to the lab host's own port, not DNAT'd")
                .isTrue();
        if (nftables()) {
            // the chain counters below are iptables'; the nftables table has none
            return;
        }
        assertThat(gateway.packetsOfRules("-j VLAB-IPAM-DNAT")).as("packets that entered the DNAT chain")
                .isEqualTo(intoDnat);
        assertThat(gateway.packetsOfRules("-j VLAB-IPAM-FWD")).as("packets that entered the mapping chain")
                .isEqualTo(intoMappings);
        assertThat(gateway.packetsOfRules("-A VLAB-IPAM-FWD-")).as("packets on the mapping rules")
                .isEqualTo(onMappingRules);

        // the counters do count: a connection through a mapping walks both chains
        api.create(50022, AgentOnGateway.labTarget(LAB_PORT));
        setup.awaitState(50022, MappingState.APPLIED);
        assertThat(gateway.clientReachesLab(50022)).isTrue();
        assertThat(gateway.packetsOfRules("-j VLAB-IPAM-DNAT")).isGreaterThan(intoDnat);
        assertThat(gateway.packetsOfRules("-j VLAB-IPAM-FWD")).isGreaterThan(intoMappings);
    }
}
