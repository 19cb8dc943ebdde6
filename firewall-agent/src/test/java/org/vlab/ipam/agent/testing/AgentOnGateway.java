package org.vlab.ipam.agent.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.vlab.ipam.domain.Component;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.LabAddress;
import org.vlab.ipam.domain.MachineName;
import org.vlab.ipam.domain.TargetPort;
import org.vlab.ipam.events.MappingState;
import org.vlab.ipam.events.PortMapTarget;
import org.vlab.ipam.testsupport.ServiceProcess;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * A {@link GatewayLab} with echo servers on the lab host, the API's stand-in, and the agent jar
 * running in the gateway as its own least-privileged user (profile own-queues), started and
 * past its first snapshot request.
 */
public final class AgentOnGateway implements AutoCloseable {

    /** How long a command may take to be answered. */
    public static final Duration APPLY = Duration.ofSeconds(20);

    private final GatewayId id;
    private final GatewayLab gateway;
    private final ApiStandIn api;
    private final AgentUser user;
    private ServiceProcess agent;

    private AgentOnGateway(TestVhost vhost, GatewayId id) {
        this.id = id;
        gateway = new GatewayLab(vhost);
        api = new ApiStandIn(vhost, id);
        user = AgentUser.create(vhost, id, AgentPermissions.ownQueues(id));
    }

    /** Builds the gateway, starts echo servers on {@code labPorts} of the lab host, and the agent. */
    public static AgentOnGateway start(TestVhost vhost, int... labPorts) {
        return start(vhost, Map.of(), api -> { }, labPorts);
    }

    /**
     * As {@link #start(TestVhost, int...)}, with extra environment for the agent, and the API's
     * state prepared by {@code apiBefore} before the agent starts (so its first snapshot holds it).
     */
    public static AgentOnGateway start(TestVhost vhost, Map<String, String> environment, Consumer<ApiStandIn> apiBefore,
            int... labPorts) {
        AgentOnGateway started = new AgentOnGateway(vhost, GatewayId.of(TestRedis.uniqueName("gw")));
        try {
            for (int port : labPorts) {
                started.gateway.startLabServer(port);
            }
            apiBefore.accept(started.api);
            if ("nftables".equals(environment.get("IPAM_FIREWALL_BACKEND"))) {
                // the host rule the README asks for under a FORWARD policy DROP; without it the agent is degraded
                started.gateway.acceptMarkedForwards();
            }
            started.agent = started.gateway.startAgent(started.id, started.user, "own-queues", environment);
            // a loaded machine (every core busy) can take a minute to start a Spring Boot jar
            started.agent.awaitHealthy(Duration.ofSeconds(180));
            await("first snapshot requested").atMost(APPLY).until(() -> started.api.snapshotRequests() > 0);
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    public GatewayLab gateway() {
        return gateway;
    }

    public ApiStandIn api() {
        return api;
    }

    public ServiceProcess agent() {
        return agent;
    }

    /** Waits until the API's record of {@code port} is in {@code state}. */
    public void awaitState(int port, MappingState state) {
        await("port " + port + " " + state).atMost(APPLY)
                .until(() -> api.mapping(port).map(mapping -> mapping.state() == state).orElse(false));
    }

    /** A target on the lab host. */
    public static PortMapTarget labTarget(int port) {
        return new PortMapTarget(LabAddress.of(GatewayLab.LAB_HOST_ADDRESS), TargetPort.of(port),
                MachineName.of("lab host"), Component.of("Linux"));
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        api.close();
        user.close();
        gateway.close();
    }
}
