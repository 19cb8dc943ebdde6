package org.vlab.ipam.agent.testing;

import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.Topology;
import org.vlab.ipam.testsupport.RabbitManagement;

/**
 * The RabbitMQ permissions of one gateway's agent, exactly as the README documents them: vhost
 * permissions (configure, write, read) and topic permissions on the two topic exchanges.
 *
 * @param configure what it may declare
 * @param write what it may publish to or bind to
 * @param read what it may consume from or bind from
 * @param commandsWrite routing keys it may publish to {@code vlab.ipam.commands}
 * @param commandsRead binding keys it may bind with from {@code vlab.ipam.commands}
 * @param eventsWrite routing keys it may publish to {@code vlab.ipam.events}
 */
public record AgentPermissions(String configure, String write, String read, String commandsWrite,
        String commandsRead, String eventsWrite) {

    /** {@code IPAM_DECLARE_TOPOLOGY=own-queues}: the agent declares its queue, dead-letter queue and their bindings. */
    public static AgentPermissions ownQueues(GatewayId gateway) {
        String queues = "^ipam\\.agent\\." + gateway + "(\\.dead-letter)?$";
        return new AgentPermissions(queues, queues + "|^vlab\\.ipam\\.(commands|events|dead-letter)$",
                queues + "|^vlab\\.ipam\\.(commands|dead-letter)$", "^api\\.snapshot$",
                "^gateway\\." + gateway + "\\.portmap$", "^gateway\\." + gateway + "\\.");
    }

    /** {@code IPAM_DECLARE_TOPOLOGY=none}: queues and bindings are provisioned; the agent only consumes and publishes. */
    public static AgentPermissions provisionedQueues(GatewayId gateway) {
        return new AgentPermissions("^$", "^vlab\\.ipam\\.(commands|events)$", "^ipam\\.agent\\." + gateway + "$",
                "^api\\.snapshot$", "^$", "^gateway\\." + gateway + "\\.");
    }

    public void grant(RabbitManagement management, String vhost, String user) {
        management.setPermissions(vhost, user, configure, write, read);
        management.setTopicPermissions(vhost, user, Topology.COMMANDS_EXCHANGE, commandsWrite, commandsRead);
        management.setTopicPermissions(vhost, user, Topology.EVENTS_EXCHANGE, eventsWrite, "^$");
    }
}
