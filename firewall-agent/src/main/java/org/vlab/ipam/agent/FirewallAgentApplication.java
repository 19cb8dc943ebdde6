package org.vlab.ipam.agent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.vlab.ipam.messaging.IpamMessagingConfiguration;

/** The firewall agent of one gateway; public only because it is the jar's entry point. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(IpamMessagingConfiguration.class)
public class FirewallAgentApplication {

    public static void main(String[] args) {
        SpringApplication.run(FirewallAgentApplication.class, args);
    }
}
