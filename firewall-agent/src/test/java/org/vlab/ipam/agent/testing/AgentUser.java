package org.vlab.ipam.agent.testing;

import java.util.UUID;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.testsupport.RabbitManagement;
import org.vlab.ipam.testsupport.TestVhost;

/** A gateway agent's own RabbitMQ user with the documented permissions on the test's vhost; deleted on close. */
public final class AgentUser implements AutoCloseable {

    private final RabbitManagement management;
    private final TestVhost vhost;
    private final String name;
    private final String password = UUID.randomUUID().toString();

    private AgentUser(TestVhost vhost, GatewayId gateway, AgentPermissions permissions) {
        this.management = vhost.endpoint().management();
        this.vhost = vhost;
        this.name = "agent-" + gateway;
        management.createUser(name, password);
        permissions.grant(management, vhost.name(), name);
    }

    public static AgentUser create(TestVhost vhost, GatewayId gateway, AgentPermissions permissions) {
        return new AgentUser(vhost, gateway, permissions);
    }

    public String name() {
        return name;
    }

    public String password() {
        return password;
    }

    /** A connection factory into the vhost as this user; the caller destroys it. */
    public CachingConnectionFactory connectionFactory() {
        return vhost.newConnectionFactory(name, password);
    }

    @Override
    public void close() {
        management.deleteUser(name);
    }
}
