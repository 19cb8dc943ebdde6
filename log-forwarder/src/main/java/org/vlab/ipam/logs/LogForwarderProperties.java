package org.vlab.ipam.logs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.hibernate.validator.constraints.time.DurationMax;
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
 * @param logTimeZone the zone of year-less log times (ulogd2 LOGEMU, traditional syslog); the
 *        system's zone when unset ({@code IPAM_LOG_TIME_ZONE})
 * @param logPollInterval how often the log is looked at when it has nothing new
 * @param logRotationGrace how long a renamed-away log may go on growing while nothing is
 *        written to the new file, before the forwarder moves on to the new file
 * @param publishRetryMax the longest wait between attempts to publish a batch the broker did not confirm
 * @param batchesInFlight the most batches published and awaiting the broker's confirm at once; the
 *        checkpoint moves only over the confirmed prefix, so a failed confirm repeats at most this
 *        many batches, each under its own message id; twice as many are read ahead, of which up
 *        to this many are recorded as pending with them, so a crash repeats at most twice this many
 *        ({@code IPAM_BATCHES_IN_FLIGHT})
 */
@Validated
@ConfigurationProperties(prefix = "ipam")
public record LogForwarderProperties(
        @NotNull(message = "is required (IPAM_GATEWAY_ID)") GatewayId gatewayId,
        @DefaultValue("/var/log/kern.log") @NotNull Path logFile,
        @DefaultValue("/var/lib/vlab-ipam") @NotNull Path stateDir,
        @DefaultValue("500") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 0) Duration batchLinger,
        ZoneId logTimeZone,
        @DefaultValue("250ms") @NotNull @DurationMin(millis = 10) @DurationMax(minutes = 1) Duration logPollInterval,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 0) Duration logRotationGrace,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 100) @DurationMax(hours = 1) Duration publishRetryMax,
        @DefaultValue("8") @Min(1) @Max(256) int batchesInFlight) {

    public LogForwarderProperties {
        logTimeZone = logTimeZone == null ? ZoneId.systemDefault() : logTimeZone;
    }
}
