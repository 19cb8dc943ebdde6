package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.vlab.ipam.api.ApiProperties;

class TokenVerifierTests {

    private static final String ISSUER = "https://vlab.test";
    private static final TestTokens TOKENS = TestTokens.generate(ISSUER);
    private static final TestTokens OTHER_KEY = TestTokens.generate(ISSUER);
    private static final String CLIENT = "203.0.113.9";

    private final TokenVerifier rs256 = verifier("auth.public-key", TOKENS.publicKeyPem(),
            "auth.trusted-proxies", "10.0.0.0/8");

    private static TokenVerifier verifier(String... settings) {
        ApiProperties properties = TestProperties.of(settings);
        return new TokenVerifier(properties, VerificationKeys.configured(properties.auth(), () -> {
            throw new AssertionError("no key fetch expected");
        }));
    }

    private static ServerHttpRequest from(String remote, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/1/ipam/portmap")
                .remoteAddress(new InetSocketAddress(remote, 40000));
        for (String header : forwardedFor) {
            request.header(TrustedProxies.FORWARDED_FOR, header);
        }
        return request.build();
    }

    private static void assertRefused(TokenVerifier verifier, String token, ServerHttpRequest request, AuthFailure failure) {
        assertThatThrownBy(() -> verifier.verify(token, request)).isInstanceOfSatisfying(TokenRejectedException.class,
                rejected -> assertThat(rejected.failure()).isEqualTo(failure));
    }

    private static Date secondsFromNow(long seconds) {
        return Date.from(Instant.now().plusSeconds(seconds));
    }

    @Test
    void acceptsAValidVersion1Token() throws Exception {
        Caller caller = rs256.verify(TOKENS.token("alice"), from(CLIENT));

        assertThat(caller).isEqualTo(new Caller("alice", 1));
        assertThat(caller.gateway().value()).isEqualTo("alice");
    }

    @Test
    void acceptsAValidVersion2TokenFromTheAddressItIsBoundTo() throws Exception {
        String token = TOKENS.rs256(TOKENS.claimsV2("bob", CLIENT).build());

        assertThat(rs256.verify(token, from(CLIENT))).isEqualTo(new Caller("bob", 2));
    }

    @Test
    void refusesAVersion2TokenFromAnotherAddress() {
        String token = TOKENS.rs256(TOKENS.claimsV2("bob", "198.51.100.1").build());

        assertRefused(rs256, token, from(CLIENT), AuthFailure.INVALID);
    }

    @Test
    void refusesAVersion2TokenWithoutClientIp() {
        String token = TOKENS.rs256(TOKENS.claimsV2("bob", CLIENT).claim("client_ip", null).build());

        assertRefused(rs256, token, from(CLIENT), AuthFailure.INVALID);
    }

    @Test
    void takesTheCallersAddressFromTheLastForwardedForEntryOfATrustedProxy() throws Exception {
        String bound = TOKENS.rs256(TOKENS.claimsV2("bob", CLIENT).build());
        String boundToSpoofedEntry = TOKENS.rs256(TOKENS.claimsV2("bob", "6.6.6.6").build());

        assertThat(rs256.verify(bound, from("10.1.2.3", "6.6.6.6, " + CLIENT))).isEqualTo(new Caller("bob", 2));
        assertThat(rs256.verify(bound, from("10.1.2.3", "6.6.6.6", CLIENT))).isEqualTo(new Caller("bob", 2));
        assertRefused(rs256, boundToSpoofedEntry, from("10.1.2.3", "6.6.6.6, " + CLIENT), AuthFailure.INVALID);
        assertRefused(rs256, bound, from("10.1.2.3"), AuthFailure.INVALID);
    }

    @Test
    void ignoresForwardedForFromAnUntrustedPeer() throws Exception {
        String boundToForwarded = TOKENS.rs256(TOKENS.claimsV2("bob", CLIENT).build());
        String boundToPeer = TOKENS.rs256(TOKENS.claimsV2("bob", "198.51.100.7").build());

        assertRefused(rs256, boundToForwarded, from("198.51.100.7", CLIENT), AuthFailure.INVALID);
        assertThat(rs256.verify(boundToPeer, from("198.51.100.7", CLIENT))).isEqualTo(new Caller("bob", 2));
    }

    @Test
    void refusesATokenExpiredBeyondTheLeewayAsExpired() {
        String token = TOKENS.rs256(TOKENS.claims("alice").issueTime(secondsFromNow(-3600))
                .expirationTime(secondsFromNow(-30)).build());

        assertRefused(rs256, token, from(CLIENT), AuthFailure.EXPIRED);
        assertThat(AuthFailure.EXPIRED.message()).isEqualTo("No Valid Session Found");
    }

    @Test
    void acceptsATokenExpiredWithinTheLeeway() throws Exception {
        String token = TOKENS.rs256(TOKENS.claims("alice").issueTime(secondsFromNow(-3600))
                .expirationTime(secondsFromNow(-5)).build());

        assertThat(rs256.verify(token, from(CLIENT)).username()).isEqualTo("alice");
    }

    @Test
    void refusesAnExpiredTokenWithABadSignatureAsInvalid() {
        String token = OTHER_KEY.rs256(TOKENS.claims("alice").expirationTime(secondsFromNow(-60)).build());

        assertRefused(rs256, token, from(CLIENT), AuthFailure.INVALID);
    }

    @Test
    void refusesATokenOfAnotherIssuer() {
        String token = TOKENS.rs256(TOKENS.claims("alice").issuer("https://evil.test").build());

        assertRefused(rs256, token, from(CLIENT), AuthFailure.INVALID);
        assertThat(AuthFailure.INVALID.message()).isEqualTo("Invalid auth token supplied");
    }

    @Test
    void refusesATokenSignedWithAnotherRsaKey() {
        assertRefused(rs256, OTHER_KEY.token("alice"), from(CLIENT), AuthFailure.INVALID);
    }

    @Test
    void refusesAnUnsecuredToken() {
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        String claims = TOKENS.claims("alice").build().toString();
        for (String alg : new String[] {"none", "None", "NONE"}) {
            String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}";
            String token = base64url.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + base64url.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";

            assertRefused(rs256, token, from(CLIENT), AuthFailure.INVALID);
            assertRefused(rs256, token.substring(0, token.length() - 1), from(CLIENT), AuthFailure.INVALID);
        }
    }

    @Test
    void refusesHs256SignedWithTheRsaPublicKeyWhenRs256IsConfigured() {
        JWTClaimsSet claims = TOKENS.claims("alice").build();
        byte[] pem = TOKENS.publicKeyPem().getBytes(StandardCharsets.US_ASCII);

        assertRefused(rs256, TestTokens.hs256(pem, claims), from(CLIENT), AuthFailure.INVALID);
        assertRefused(rs256, TestTokens.hs256(TOKENS.publicKeyDer(), claims), from(CLIENT), AuthFailure.INVALID);
    }

    @Test
    void refusesHs256WhenNoDevSecretIsConfigured() {
        String token = TestTokens.hs256(TestTokens.DEV_SECRET.getBytes(StandardCharsets.UTF_8), TOKENS.claims("alice").build());

        assertRefused(rs256, token, from(CLIENT), AuthFailure.INVALID);
    }

    @Test
    void acceptsHs256OnlyWithTheConfiguredDevSecret() throws Exception {
        TokenVerifier devOnly = verifier("auth.dev-secret", TestTokens.DEV_SECRET);
        JWTClaimsSet claims = TOKENS.claims("alice").build();

        assertThat(devOnly.verify(TestTokens.hs256(TestTokens.DEV_SECRET.getBytes(StandardCharsets.UTF_8), claims),
                from(CLIENT))).isEqualTo(new Caller("alice", 1));
        assertRefused(devOnly, TestTokens.hs256("another-secret-that-is-also-32-bytes-long".getBytes(StandardCharsets.UTF_8),
                claims), from(CLIENT), AuthFailure.INVALID);
        assertRefused(devOnly, TOKENS.rs256(claims), from(CLIENT), AuthFailure.INVALID);
    }

    @Test
    void refusesAlgorithmsOtherThanTheConfiguredOnes() {
        JWTClaimsSet claims = TOKENS.claims("alice").build();

        assertRefused(rs256, TOKENS.rsa(JWSAlgorithm.RS512, claims), from(CLIENT), AuthFailure.INVALID);
        assertRefused(rs256, TOKENS.rsa(JWSAlgorithm.PS256, claims), from(CLIENT), AuthFailure.INVALID);
    }

    @Test
    void refusesAnOversizedTokenWithoutParsingIt() {
        String oversized = TOKENS.rs256(TOKENS.claims("alice").claim("padding", "x".repeat(9000)).build());

        assertRefused(rs256, oversized, from(CLIENT), AuthFailure.INVALID);
        assertRefused(rs256, "not even a token ".repeat(600), from(CLIENT), AuthFailure.INVALID);
        assertThatThrownBy(() -> rs256.verify("x".repeat(9000), from(CLIENT)))
                .hasMessageContaining("longer than 8192 bytes");
    }

    @Test
    void refusesAUsernameThatIsNoGatewayId() {
        for (String username : new String[] {"alice.smith", "../etc", "a{b}", "", "-alice"}) {
            assertRefused(rs256, TOKENS.token(username), from(CLIENT), AuthFailure.INVALID);
        }
        assertRefused(rs256, TOKENS.rs256(TOKENS.claims("x").claim("username", 42).build()), from(CLIENT),
                AuthFailure.INVALID);
    }

    @Test
    void refusesAMissingOrUnknownVersion() {
        assertRefused(rs256, TOKENS.rs256(TOKENS.claims("alice").claim("version", null).build()), from(CLIENT),
                AuthFailure.INVALID);
        assertRefused(rs256, TOKENS.rs256(TOKENS.claims("alice").claim("version", 3).build()), from(CLIENT),
                AuthFailure.INVALID);
        assertRefused(rs256, TOKENS.rs256(TOKENS.claims("alice").claim("version", "1").build()), from(CLIENT),
                AuthFailure.INVALID);
    }

    @Test
    void refusesATokenWithoutExpiryOrIssueTime() {
        assertRefused(rs256, TOKENS.rs256(TOKENS.claims("alice").expirationTime(null).build()), from(CLIENT),
                AuthFailure.INVALID);
        assertRefused(rs256, TOKENS.rs256(TOKENS.claims("alice").issueTime(null).build()), from(CLIENT),
                AuthFailure.INVALID);
    }

    @Test
    void refusesGarbage() {
        for (String garbage : new String[] {"abc", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9.e30.AAAA"}) {
            assertRefused(rs256, garbage, from(CLIENT), AuthFailure.INVALID);
        }
    }

    @Test
    void refusesATokenIssuedInTheFutureBeyondTheLeeway() {
        String issuedLater = TOKENS.rs256(TOKENS.claims("alice").issueTime(secondsFromNow(60))
                .expirationTime(secondsFromNow(3600)).build());

        assertRefused(rs256, issuedLater, from(CLIENT), AuthFailure.INVALID);
        assertThatThrownBy(() -> rs256.verify(issuedLater, from(CLIENT))).hasMessageContaining("in the future");
    }

    @Test
    void acceptsAnIssueTimeAheadOfOurClockWithinTheLeeway() throws Exception {
        String token = TOKENS.rs256(TOKENS.claims("alice").issueTime(secondsFromNow(5)).build());

        assertThat(rs256.verify(token, from(CLIENT)).username()).isEqualTo("alice");
        assertRefused(verifier("auth.public-key", TOKENS.publicKeyPem(), "auth.leeway", "0s"), token, from(CLIENT),
                AuthFailure.INVALID);
    }

    @Test
    void usesTheConfiguredLeeway() throws Exception {
        TokenVerifier strict = verifier("auth.public-key", TOKENS.publicKeyPem(), "auth.leeway", "0s");
        String token = TOKENS.rs256(TOKENS.claims("alice").expirationTime(secondsFromNow(-5)).build());

        assertRefused(strict, token, from(CLIENT), AuthFailure.EXPIRED);
        assertThat(Duration.ofSeconds(10)).isEqualTo(TestProperties.of().auth().leeway());
    }

    @Test
    void refusesARememberedTokenOnceItExpires() throws Exception {
        TokenVerifier noLeeway = verifier("auth.public-key", TOKENS.publicKeyPem(), "auth.leeway", "0s");
        String token = TOKENS.rs256(TOKENS.claims("alice").expirationTime(secondsFromNow(2)).build());
        assertThat(noLeeway.verify(token, from(CLIENT)).username()).isEqualTo("alice");

        Awaitility.await().atMost(Duration.ofSeconds(6)).untilAsserted(
                () -> assertRefused(noLeeway, token, from(CLIENT), AuthFailure.EXPIRED));
    }

    @Test
    void refusesARememberedVersion2TokenFromAnotherAddress() throws Exception {
        String token = TOKENS.rs256(TOKENS.claimsV2("bob", CLIENT).build());
        assertThat(rs256.verify(token, from(CLIENT))).isEqualTo(new Caller("bob", 2));

        assertRefused(rs256, token, from("198.51.100.1"), AuthFailure.INVALID);
        assertThat(rs256.verify(token, from(CLIENT))).isEqualTo(new Caller("bob", 2));
    }

    @Test
    void refusesATamperedCopyOfARememberedToken() throws Exception {
        String token = TOKENS.token("alice");
        assertThat(rs256.verify(token, from(CLIENT)).username()).isEqualTo("alice");
        String[] parts = token.split("\\.");
        String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                TOKENS.claims("mallory").build().toString().getBytes(StandardCharsets.UTF_8));

        assertRefused(rs256, parts[0] + "." + otherPayload + "." + parts[2], from(CLIENT), AuthFailure.INVALID);
        assertRefused(rs256, token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA"), from(CLIENT),
                AuthFailure.INVALID);
    }
}
