package org.vlab.ipam.logs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;
import org.vlab.ipam.messaging.IpamMessagingConfiguration;

/** The log forwarder of one gateway; public only because it is the jar's entry point. */
@SpringBootApplication
@ConfigurationPropertiesScan
@Import(IpamMessagingConfiguration.class)
public class LogForwarderApplication {

    public static void main(String[] args) {
        SpringApplication.run(LogForwarderApplication.class, args);
    }
}
