package org.vlab.ipam.testsupport;

import java.util.UUID;

/** Where the tests' RabbitMQ listens, and the administrator it is managed as. */
public record RabbitEndpoint(String host, int amqpPort, int managementPort, String username, String password) {

    public RabbitManagement management() {
        return new RabbitManagement(this);
    }

    /** Creates a virtual host only this test uses, with every permission for the administrator; deleted on close. */
    public TestVhost newVhost(String hint) {
        String name = "test-" + hint.replaceAll("[^A-Za-z0-9-]", "") + "-" + UUID.randomUUID().toString().substring(0, 8);
        RabbitManagement management = management();
        management.createVhost(name);
        management.setPermissions(name, username, ".*", ".*", ".*");
        return new TestVhost(this, name);
    }

    @Override
    public String toString() {
        return host + ":" + amqpPort + " (management :" + managementPort + ")";
    }
}
