package org.vlab.ipam.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import org.vlab.ipam.domain.LabNetwork;

/**
 * Everything an operator can set for the API, with the defaults of the README's table.
 * Invalid values stop the service at start, naming the property.
 *
 * <p>{@code snapshotRequesters}: the RabbitMQ users allowed to ask for a gateway's snapshot,
 * as patterns in which {@code {gateway}} stands for the requested gateway id (such as
 * {@code agent-{gateway}}); a pattern without it is a plain user name allowed to ask for every
 * gateway's snapshot. RabbitMQ vouches for a request's {@code user_id}. Empty (the default, for
 * development) answers every request.
 *
 * <p>{@code eventPublishers}: the same kind of patterns for the users allowed to publish a
 * gateway's events ({@code {gateway}} stands for the gateway of the event's routing key);
 * an event without {@code user_id} is then refused. Empty (the default, for development)
 * leaves the user unchecked. {@code eventClockSkew}: how far in the future an event's
 * {@code sent_at}, {@code observed_at} or {@code last_seen_alive} may lie.
 *
 * <p>{@code eventConsumers}: the most events this replica records at once (consumers of the
 * events queue, each waiting on one Redis script at a time; one starts, more join under load);
 * a create's answer waits in that queue, so this bounds a replica's create throughput
 * (docs/benchmarks.md).
 *
 * <p>{@code portCooldown}: how long a deleted mapping's connection port is not handed out again
 * while another port is free, so a client still holding it does not reach the next owner (0: none).
 * {@code leaseSweepInterval}: how often each replica looks for mappings whose lease ran out.
 */
@Validated
@ConfigurationProperties(prefix = "ipam")
public record ApiProperties(
        @NotNull @DefaultValue("https://localhost") URI vlabUrl,
        @Valid @NotNull @DefaultValue Auth auth,
        @NotNull @DefaultValue List<@Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}",
                message = "must be a vLab username") String> operators,
        @Min(1) @Max(65535) @DefaultValue("50000") int portMin,
        @Min(1) @Max(65535) @DefaultValue("50100") int portMax,
        @NotEmpty @DefaultValue("192.168.1.0/24") List<LabNetwork> lanCidrs,
        @NotNull @DefaultValue("5s") Duration applyWait,
        @NotNull @DefaultValue("15s") Duration republishAfter,
        @NotNull @DefaultValue("24h") Duration idempotencyTtl,
        @Valid @NotNull @DefaultValue RateLimit rateLimit,
        @Min(1024) @Max(1048576) @DefaultValue("16384") int maxBodyBytes,
        @Pattern(regexp = "[A-Za-z0-9:_.-]{0,64}", message = "may hold letters, digits and :_.- only")
        @DefaultValue("ipam:") String redisKeyPrefix,
        @NotNull @DefaultValue List<@NotNull @Pattern(regexp = GATEWAY_USER, message = GATEWAY_USER_RULE)
                String> snapshotRequesters,
        @NotNull @DefaultValue List<@NotNull @Pattern(regexp = GATEWAY_USER, message = GATEWAY_USER_RULE)
                String> eventPublishers,
        @NotNull @DefaultValue("30s") Duration eventClockSkew,
        @Min(value = 1, message = EVENT_CONSUMERS_RULE) @Max(value = 64, message = EVENT_CONSUMERS_RULE)
        @DefaultValue("16") int eventConsumers,
        @NotNull @DefaultValue("10m") Duration portCooldown,
        @NotNull @DefaultValue("1s") Duration leaseSweepInterval,
        @Valid @NotNull @DefaultValue Usage usage) {

    private static final String EVENT_CONSUMERS_RULE = "ipam.event-consumers must be between 1 and 64";

    private static final String GATEWAY_USER_RULE = "must be a RabbitMQ user name holding \\{gateway\\} at most once";
    /** A user name of letters, digits and {@code @:_.-}, holding {@code {gateway}} at most once. */
    private static final String GATEWAY_USER =
            "(?=.)[A-Za-z0-9@:_.-]{0,64}(\\{gateway\\}[A-Za-z0-9@:_.-]{0,64})?";

    @AssertTrue(message = "ipam.port-min must not be greater than ipam.port-max")
    boolean isPortRangeOrdered() {
        return portMin <= portMax;
    }

    @AssertTrue(message = "ipam.apply-wait must be between 0 and 60 seconds")
    boolean isApplyWaitBounded() {
        return applyWait == null || (!applyWait.isNegative() && applyWait.compareTo(Duration.ofSeconds(60)) <= 0);
    }

    @AssertTrue(message = "ipam.event-clock-skew must be between 1 second and 10 minutes")
    boolean isEventClockSkewBounded() {
        return eventClockSkew == null || (eventClockSkew.compareTo(Duration.ofSeconds(1)) >= 0
                && eventClockSkew.compareTo(Duration.ofMinutes(10)) <= 0);
    }

    @AssertTrue(message = "ipam.port-cooldown must be between 0 (no cool-down) and 24 hours")
    boolean isPortCooldownBounded() {
        return portCooldown == null || (!portCooldown.isNegative() && portCooldown.compareTo(Duration.ofHours(24)) <= 0);
    }

    @AssertTrue(message = "ipam.lease-sweep-interval must be between 100 ms and 1 minute")
    boolean isLeaseSweepIntervalBounded() {
        return leaseSweepInterval == null || (leaseSweepInterval.compareTo(Duration.ofMillis(100)) >= 0
                && leaseSweepInterval.compareTo(Duration.ofMinutes(1)) <= 0);
    }

    @AssertTrue(message = "ipam.vlab-url must be an absolute http(s) URL")
    boolean isVlabUrlAbsolute() {
        return vlabUrl == null || (vlabUrl.isAbsolute() && vlabUrl.getHost() != null
                && ("https".equals(vlabUrl.getScheme()) || "http".equals(vlabUrl.getScheme())));
    }

    /** The vLab URL without a trailing slash: the tokens' issuer and the base of links. */
    public String vlabBase() {
        String url = vlabUrl.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public boolean isOperator(String username) {
        return operators.contains(username);
    }

    /**
     * Token verification. RS256 with {@code publicKey} (PEM) or, when that is empty, with
     * the key fetched from {@code <vlab-url>/api/1/auth/key} over https (http only with
     * {@code keyFetchAllowHttp}, for development; a private CA through the SSL bundle
     * {@code keyTrustBundle}) at start, every {@code keyRefreshPeriod} and after a signature
     * failure (at most once per {@code keyRefreshMinInterval}); HS256 only when
     * {@code devSecret} is set. Version-2 tokens are bound to the client address, read from
     * {@code X-Forwarded-For} only when the request came from one of {@code trustedProxies}.
     */
    public record Auth(
            String publicKey,
            String devSecret,
            @NotNull @DefaultValue List<LabNetwork> trustedProxies,
            @NotNull @DefaultValue("10s") Duration leeway,
            @Min(256) @Max(65536) @DefaultValue("8192") int maxTokenBytes,
            @Min(1) @Max(100) @DefaultValue("10") int keyFetchAttempts,
            @NotNull @DefaultValue("2s") Duration keyFetchBackoff,
            boolean keyFetchAllowHttp,
            String keyTrustBundle,
            @NotNull @DefaultValue("10m") Duration keyRefreshPeriod,
            @NotNull @DefaultValue("30s") Duration keyRefreshMinInterval) {

        @AssertTrue(message = "ipam.auth.key-refresh-period must be 1 s - 24 h, ipam.auth.key-refresh-min-interval 1 s - 1 h")
        boolean isKeyRefreshBounded() {
            return within(keyRefreshPeriod, Duration.ofSeconds(1), Duration.ofHours(24))
                    && within(keyRefreshMinInterval, Duration.ofSeconds(1), Duration.ofHours(1));
        }

        @AssertTrue(message = "ipam.auth.leeway must be between 0 and 5 minutes")
        boolean isLeewayBounded() {
            return within(leeway, Duration.ZERO, Duration.ofMinutes(5));
        }

        /** Null passes: {@code @NotNull} reports it. */
        private static boolean within(Duration value, Duration min, Duration max) {
            return value == null || (value.compareTo(min) >= 0 && value.compareTo(max) <= 0);
        }

        @AssertTrue(message = "ipam.auth.dev-secret must be at least 32 bytes (HS256 needs a 256-bit key)")
        boolean isDevSecretLongEnough() {
            return devSecret == null || devSecret.isEmpty() || devSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 32;
        }
    }

    /**
     * Connection usage per mapping, counted from the log forwarders' batches on the API's own
     * queue bound to {@code vlab.firewall.logs}. {@code publishers}: the RabbitMQ users allowed to
     * publish a gateway's log batches, in the form of {@code eventPublishers} (such as
     * {@code logs-{gateway}}); empty leaves them unchecked (development). {@code rememberedBatches}:
     * how many counted batch ids each gateway keeps (at most 24 h) so a redelivered batch is not
     * counted twice.
     */
    public record Usage(
            @DefaultValue("true") boolean enabled,
            @NotNull @DefaultValue List<@NotNull @Pattern(regexp = GATEWAY_USER, message = GATEWAY_USER_RULE)
                    String> publishers,
            @Min(16) @Max(100000) @DefaultValue("1024") int rememberedBatches) {
    }

    /** Per-user request budget, shared by all replicas through Redis: a token bucket. */
    public record RateLimit(
            @DefaultValue("true") boolean enabled,
            @Min(1) @DefaultValue("20") int requestsPerSecond,
            @Min(1) @DefaultValue("40") int burst) {
    }
}
