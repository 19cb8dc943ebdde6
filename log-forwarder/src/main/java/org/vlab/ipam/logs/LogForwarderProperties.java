package org.vlab.ipam.logs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.vlab.ipam.domain.GatewayId;

/**
 * The log forwarder's configuration (prefix {@code ipam}); bad values stop it at start. The
 * log file may be missing at start (it is waited for); the state directory is created if needed.
 *
 * @param gatewayId the gateway whose log this is; also the routing key's id ({@code IPAM_GATEWAY_ID})
 * @param logFile the firewall log to tail ({@code IPAM_LOG_FILE})
 * @param stateDir where the checkpoint lives ({@code IPAM_LOG_STATE_DIR})
 * @param batchSize the most records one published batch holds
 * @param batchLinger how long a batch that is not full waits for more records before it is published
 */
@Validated
@ConfigurationProperties(prefix = "ipam")
record LogForwarderProperties(
        @NotNull(message = "is required (IPAM_GATEWAY_ID)") GatewayId gatewayId,
        @DefaultValue("/var/log/kern.log") @NotNull Path logFile,
        @DefaultValue("/var/lib/vlab-ipam") @NotNull Path stateDir,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 0) Duration batchLinger) {
}
