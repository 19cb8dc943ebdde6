package org.vlab.ipam.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.vlab.ipam.api.ApiProperties;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Verifies a vLab token (api-v1.md, "Authentication") with nimbus-jose-jwt: signature with
 * the configured keys, {@code iss} equal to the vLab URL, {@code exp} with the configured
 * leeway, {@code iat} not later than now plus the leeway, a {@code username} that is a gateway
 * id, {@code version} 1 or 2, and
 * for version 2 a {@code client_ip} equal to the caller's address.
 */
final class TokenVerifier {

    private static final Set<String> REQUIRED_CLAIMS = Set.of("iss", "exp", "iat", "username", "version");

    private final ConfigurableJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final int maxTokenBytes;
    private final TrustedProxies proxies;
    private final VerificationKeys keys;
    private final Duration leeway;
    private final VerifiedTokens verified;

    TokenVerifier(ApiProperties properties, VerificationKeys keys) {
        ApiProperties.Auth auth = properties.auth();
        this.maxTokenBytes = auth.maxTokenBytes();
        this.proxies = new TrustedProxies(auth.trustedProxies());
        this.leeway = auth.leeway();
        this.keys = keys;
        this.verified = new VerifiedTokens(auth.leeway());
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(properties.vlabBase()).build(), REQUIRED_CLAIMS);
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, auth.leeway().toSeconds()));
        processor.setJWSKeySelector(keys.selector());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * The caller the token names, or a {@link TokenRejectedException} saying why it was refused.
     * An RS256 token whose signature fails is verified once more if that made the key source
     * fetch a different key (vLab rotated it); the source rate-limits such refreshes.
     */
    Mono<Caller> authenticate(String token, ServerHttpRequest request) {
        try {
            return Mono.just(verify(token, request));
        } catch (TokenRejectedException rejected) {
            if (!rejected.rsaSignatureFailed() || keys.rsa() == null) {
                return Mono.error(rejected);
            }
            return keys.rsa().refreshAfterSignatureFailure().filter(Boolean::booleanValue)
                    .publishOn(Schedulers.parallel())
                    .flatMap(changed -> Mono.fromCallable(() -> verify(token, request)))
                    .switchIfEmpty(Mono.error(rejected));
        }
    }

    /** The caller the token names, or why it was refused. */
    Caller verify(String token, ServerHttpRequest request) throws TokenRejectedException {
        if (token.length() > maxTokenBytes || token.getBytes(StandardCharsets.UTF_8).length > maxTokenBytes) {
            throw invalid("token longer than " + maxTokenBytes + " bytes");
        }
        // Taken before verifying: a key rotated meanwhile makes the remembered claims count for nothing.
        Object key = keys.rsa() == null ? null : keys.rsa().current();
        JWTClaimsSet claims = verified.claims(token, key);
        if (claims == null) {
            claims = signedClaims(token);
            verified.remember(token, claims, key);
        }
        String username = username(claims);
        int version = version(claims);
        if (version == 2) {
            checkClientAddress(claims, request, username);
        }
        return new Caller(username, version);
    }

    /** The claims of a token whose signature, issuer, expiry and issue time check out. */
    private JWTClaimsSet signedClaims(String token) throws TokenRejectedException {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ExpiredJWTException e) {
            throw new TokenRejectedException(AuthFailure.EXPIRED, e.getMessage());
        } catch (BadJWSException e) {
            throw new TokenRejectedException(AuthFailure.INVALID, e.getMessage(), isRs256(token));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw invalid(e.getMessage());
        }
        Instant latestIssue = Instant.now().plus(leeway);
        if (claims.getIssueTime().toInstant().isAfter(latestIssue)) {
            // nimbus checks exp and nbf with the leeway, but not iat: a token from the future is forged or from a bad clock
            throw invalid("issued at " + claims.getIssueTime().toInstant() + ", in the future beyond the leeway of "
                    + leeway);
        }
        return claims;
    }

    private static String username(JWTClaimsSet claims) throws TokenRejectedException {
        if (!(claims.getClaim("username") instanceof String username)) {
            throw invalid("username claim is not a string");
        }
        try {
            return GatewayId.of(username).value();
        } catch (IllegalArgumentException e) {
            throw invalid("username claim is no gateway id: " + e.getMessage());
        }
    }

    private static int version(JWTClaimsSet claims) throws TokenRejectedException {
        Object version = claims.getClaim("version");
        if (version instanceof Number number && number.doubleValue() == number.intValue()
                && (number.intValue() == 1 || number.intValue() == 2)) {
            return number.intValue();
        }
        throw invalid("version claim is " + (version instanceof String ? "the string \"" + version + "\"" : version)
                + ", not 1 or 2");
    }

    private void checkClientAddress(JWTClaimsSet claims, ServerHttpRequest request, String username)
            throws TokenRejectedException {
        Object claimed = claims.getClaim("client_ip");
        String bound = claimed instanceof String text ? TrustedProxies.canonical(text) : null;
        if (bound == null) {
            throw invalid("version 2 token of " + username + " has no valid client_ip claim");
        }
        String actual = proxies.clientAddress(request);
        if (!bound.equals(actual)) {
            throw invalid("version 2 token of " + username + " is bound to " + bound + " but the caller is " + actual);
        }
    }

    private static boolean isRs256(String token) {
        try {
            Base64URL header = Base64URL.from(token.substring(0, token.indexOf('.')));
            return JWSAlgorithm.RS256.equals(JWSHeader.parse(header).getAlgorithm());
        } catch (ParseException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static TokenRejectedException invalid(String reason) {
        return new TokenRejectedException(AuthFailure.INVALID, reason);
    }
}
