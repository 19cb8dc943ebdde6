package org.vlab.ipam.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.vlab.ipam.messaging.IpamMessagingConfiguration;

/** The central REST API (any number of replicas); public only because it is the jar's entry point. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(IpamMessagingConfiguration.class)
public class IpamApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(IpamApiApplication.class, args);
    }
}
