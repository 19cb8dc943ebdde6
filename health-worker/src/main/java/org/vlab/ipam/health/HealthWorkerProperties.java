package org.vlab.ipam.health;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.vlab.ipam.domain.GatewayId;

/**
 * The health worker's configuration (prefix {@code ipam}); bad values stop it at start.
 *
 * @param gatewayId the gateway whose addresses this worker probes ({@code IPAM_GATEWAY_ID})
 * @param probePeriod time between probe cycles ({@code IPAM_PROBE_PERIOD})
 * @param concurrency how many probes run at once
 * @param probeTimeout how long one ICMP echo or TCP connect may take before it counts as failed
 * @param changeAfterCycles consecutive cycles with the new outcome before a change is reported
 */
@Validated
@ConfigurationProperties(prefix = "ipam")
record HealthWorkerProperties(
        @NotNull(message = "is required (IPAM_GATEWAY_ID)") GatewayId gatewayId,
        @DefaultValue("300s") @NotNull @DurationMin(seconds = 1) Duration probePeriod,
        @DefaultValue("64") @Min(1) @Max(1024) int concurrency,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration probeTimeout,
        @DefaultValue("2") @Min(1) @Max(100) int changeAfterCycles) {

    @AssertTrue(message = "ipam.probe-timeout must be shorter than ipam.probe-period (IPAM_PROBE_PERIOD)")
    boolean isProbeTimeoutShorterThanPeriod() {
        return probeTimeout == null || probePeriod == null || probeTimeout.compareTo(probePeriod) < 0;
    }
}
