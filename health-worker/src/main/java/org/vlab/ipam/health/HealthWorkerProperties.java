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
 * @param probePeriod time from the start of one probe cycle to the start of the next ({@code IPAM_PROBE_PERIOD})
 * @param probeConcurrency how many probes may be in flight at once ({@code IPAM_PROBE_CONCURRENCY})
 * @param probeTimeout how long one ICMP echo or TCP connect may take before it counts as failed
 *        ({@code IPAM_PROBE_TIMEOUT})
 * @param changeAfterCycles consecutive cycles that must agree before the verdict changes
 *        ({@code IPAM_CHANGE_AFTER_CYCLES})
 * @param icmpEchoes ICMP echoes sent to each address per cycle ({@code IPAM_ICMP_ECHOES})
 * @param icmpChunkSize the most addresses one fping run echoes to; each run takes one of the
 *        {@code probeConcurrency} slots ({@code IPAM_ICMP_CHUNK_SIZE})
 * @param outboxCapacity most reachability events held while the broker cannot be reached; beyond
 *        it the oldest are dropped and counted ({@code IPAM_OUTBOX_CAPACITY})
 */
@Validated
@ConfigurationProperties(prefix = "ipam")
public record HealthWorkerProperties(
        @NotNull(message = "is required (IPAM_GATEWAY_ID)") GatewayId gatewayId,
        @DefaultValue("300s") @NotNull @DurationMin(seconds = 1) Duration probePeriod,
        @DefaultValue("64") @Min(1) @Max(1024) int probeConcurrency,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration probeTimeout,
        @DefaultValue("2") @Min(1) @Max(100) int changeAfterCycles,
        @DefaultValue("3") @Min(1) @Max(10) int icmpEchoes,
        @DefaultValue("256") @Min(1) @Max(4096) int icmpChunkSize,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int outboxCapacity) {

    @AssertTrue(message = "ipam.probe-timeout must be shorter than ipam.probe-period (IPAM_PROBE_PERIOD)")
    boolean isProbeTimeoutShorterThanPeriod() {
        return probeTimeout == null || probePeriod == null || probeTimeout.compareTo(probePeriod) < 0;
    }
}
