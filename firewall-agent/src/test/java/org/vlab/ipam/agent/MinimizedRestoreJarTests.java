package org.vlab.ipam.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.agent.testing.AgentOnGateway;
import org.vlab.ipam.agent.testing.ApiStandIn;
import org.vlab.ipam.agent.testing.GatewayLab;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * With 1,000 mappings on the gateway, a command is applied by a transaction of its own
 * mapping's rules only, and real TCP proves it: the new mapping forwards, the removed one stops,
 * the others keep forwarding. A change the kernel no longer matches (a rule deleted by hand)
 * falls back to a full sync that repairs the chains.
 */
@NetnsTest
@IntegrationTest
class MinimizedRestoreJarTests {

    private static final int LAB_PORT = 8022;
    private static final int MAPPINGS = 1000;
    private static final int FIRST = 50000;
    private static final int NEW_PORT = 51500;
    private static final Duration APPLY = AgentOnGateway.APPLY;

    private AgentOnGateway lab;
    private GatewayLab gateway;
    private ApiStandIn api;
    private ServiceProcess agent;

    @BeforeEach
    void gatewayWithAThousandMappings(TestVhost vhost) {
        // no periodic reconcile during the test: every transaction after the first is a command's
        lab = AgentOnGateway.start(vhost, Map.of("VLAB_PORT_MIN", "50000", "VLAB_PORT_MAX", "51999",
                "IPAM_RECONCILE_PERIOD", "10m"), api -> {
                    for (int port = FIRST; port < FIRST + MAPPINGS; port++) {
                        api.recordApplied(port, AgentOnGateway.labTarget(LAB_PORT));
                    }
                }, LAB_PORT);
        gateway = lab.gateway();
        api = lab.api();
        agent = lab.agent();
        await("1,000 mappings in the kernel").atMost(APPLY)
                .until(() -> gateway.agentRules().matches(gateway.rulesFor(api.desired())));
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aCreateAndARemovalAmongAThousandMappingsAreEachATransactionOfTheirOwnRulesAndForwardAccordingly() {
        api.create(NEW_PORT, AgentOnGateway.labTarget(LAB_PORT));
        lab.awaitState(NEW_PORT, MappingState.APPLIED);

        assertThat(gateway.clientReachesLab(NEW_PORT)).as("through the new mapping").isTrue();
        assertThat(transactions()).as("the first, of all 1,000 mappings, then the create's alone").hasSize(2);
        assertThat(transactions().get(1)).contains("1 mappings changed");

        api.remove(FIRST + 500);
        await("removal confirmed").atMost(APPLY).until(() -> api.mapping(FIRST + 500).isEmpty());

        assertThat(gateway.clientReachesLab(FIRST + 500)).as("after its removal").isFalse();
        assertThat(gateway.clientReachesLab(FIRST + 501)).as("a neighbour of the removed mapping").isTrue();
        assertThat(gateway.clientReachesLab(NEW_PORT)).as("the new mapping").isTrue();
        assertThat(transactions()).hasSize(3);
        assertThat(transactions().get(2)).contains("1 mappings changed");
        assertThat(agent.outputLines()).noneMatch(line -> line.contains("full sync"));
        assertThat(gateway.agentRules().matches(gateway.rulesFor(api.desired())))
                .as("the kernel holds exactly the 1,000 desired mappings").isTrue();
        assertThat(gateway.iptablesSave()).contains(GatewayLab.ADMIN_RULES);
    }

    @Test
    void aChangeTheKernelNoLongerMatchesFallsBackToAFullSyncThatRepairsTheChains() {
        int edited = FIRST + 7;
        String accept = gateway.rulesFor(List.of(api.desired().get(7))).filterLines().stream()
                .filter(line -> line.endsWith("-j ACCEPT")).findFirst().orElseThrow();
        List<String> deletion = new java.util.ArrayList<>(List.of("iptables", "-w", "-D"));
        deletion.addAll(List.of(accept.substring(3).split(" ")));
        gateway.onGateway(deletion.stream().map(word -> word.replace("\"", "")).toArray(String[]::new));
        assertThat(gateway.clientReachesLab(edited)).as("its accept deleted by hand").isFalse();

        api.remove(edited);
        await("removal confirmed").atMost(APPLY).until(() -> api.mapping(edited).isEmpty());

        assertThat(agent.outputLines()).anyMatch(line -> line.contains("reading the firewall back for a full sync"));
        assertThat(gateway.agentRules().matches(gateway.rulesFor(api.desired()))).isTrue();
        assertThat(gateway.clientReachesLab(edited)).isFalse();
        assertThat(gateway.clientReachesLab(FIRST + 8)).as("its neighbour").isTrue();
    }

    private List<String> transactions() {
        return agent.outputLines().stream().filter(line -> line.contains("iptables-restore transaction")).toList();
    }

}
