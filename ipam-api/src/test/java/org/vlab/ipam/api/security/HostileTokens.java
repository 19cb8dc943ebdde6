package org.vlab.ipam.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.vlab.ipam.api.auth.TestTokens;

/**
 * Tokens an attacker forges to act as the victim: unsigned, signed with the wrong algorithm
 * or key, expired, issued by someone else, bound to another address (also behind spoofed
 * forwarding headers), truncated or garbage. Each is sent with a valid create body for the
 * victim's gateway and must be answered 401.
 */
final class HostileTokens {

    private static final String BOUND_ADDRESS = "203.0.113.7";

    private final TestTokens tokens;
    private final String victim;
    private final RSAKey stranger;
    private final List<HostileRequest> cases = new ArrayList<>();

    private HostileTokens(TestTokens tokens, String victim) {
        this.tokens = tokens;
        this.victim = victim;
        try {
            this.stranger = new RSAKeyGenerator(2048).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hostile tokens claiming to be {@code victim}, for an API that trusts {@code tokens}' key and issuer. */
    static List<HostileRequest> cases(TestTokens tokens, String victim, String attacker) {
        HostileTokens forge = new HostileTokens(tokens, victim);
        forge.badAlgorithms();
        forge.badKeys(attacker);
        forge.badClaims();
        forge.boundElsewhere();
        forge.truncatedAndGarbage();
        forge.issuedInTheFuture();
        return List.copyOf(forge.cases);
    }

    private JWTClaimsSet claims() {
        return tokens.claims(victim).build();
    }

    private void add(String what, String token) {
        add(Category.TOKENS, what, token);
    }

    private void add(Category category, String what, String token) {
        cases.add(HostileRequest.post(category, what, token, Bodies.valid()).expecting(401));
    }

    private void badAlgorithms() {
        String payload = claims().toPayload().toBase64URL().toString();
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            String header = Base64URL.encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").toString();
            add("alg " + alg + ", no signature", header + "." + payload + ".");
            add("alg " + alg + ", junk signature", header + "." + payload + ".c2lnbmF0dXJl");
        }
        add("HS256 signed with the RSA public key (DER)", TestTokens.hs256(tokens.publicKeyDer(), claims()));
        byte[] pem = tokens.publicKeyPem().getBytes(StandardCharsets.US_ASCII);
        add("HS256 signed with the RSA public key (PEM)", TestTokens.hs256(pem, claims()));
        add("HS512 signed with the RSA public key (PEM)", sign(new JWSHeader(JWSAlgorithm.HS512), macSigner(pem), claims()));
        add("RS512 with the right key", tokens.rsa(JWSAlgorithm.RS512, claims()));
        add("PS256 with the right key", tokens.rsa(JWSAlgorithm.PS256, claims()));
    }

    private void badKeys(String attacker) {
        add("RS256 signed by another key", sign(new JWSHeader(JWSAlgorithm.RS256), rsaSigner(stranger), claims()));
        add("RS256 with the signer's key embedded (jwk)", sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwk(stranger.toPublicJWK()).build(), rsaSigner(stranger), claims()));
        add("RS256 with jku and x5u to the attacker", sign(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .jwkURL(URI.create("https://evil.test/jwks.json")).x509CertURL(URI.create("https://evil.test/cert.pem"))
                .keyID("evil").build(), rsaSigner(stranger), claims()));
        add("HS256 with kid ../../dev/null and an empty-ish key", sign(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .keyID("../../../../dev/null").build(), macSigner(new byte[32]), claims()));
        add("unknown critical header", sign(new JWSHeader.Builder(JWSAlgorithm.RS256).customParam("evil", true)
                .criticalParams(java.util.Set.of("evil")).build(), rsaSigner(stranger), claims()));
        String attackers = tokens.token(attacker);
        String[] parts = attackers.split("\\.");
        add("victim's claims under the attacker's signature", parts[0] + "." + claims().toPayload().toBase64URL() + "."
                + parts[2]);
    }

    private void badClaims() {
        Instant now = Instant.now();
        add("expired a minute ago", tokens.rs256(tokens.claims(victim).expirationTime(Date.from(now.minusSeconds(60))).build()));
        add("expired a day ago", tokens.rs256(tokens.claims(victim).issueTime(Date.from(now.minus(Duration.ofDays(2))))
                .expirationTime(Date.from(now.minus(Duration.ofDays(1)))).build()));
        add("not before in an hour", tokens.rs256(tokens.claims(victim).notBeforeTime(Date.from(now.plusSeconds(3600))).build()));
        for (String issuer : List.of("https://evil.test", tokens.issuer() + "/", tokens.issuer().replace("https:", "http:"),
                tokens.issuer() + ".evil.test", tokens.issuer().toUpperCase())) {
            add("issuer " + issuer, tokens.rs256(tokens.claims(victim).issuer(issuer).build()));
        }
        for (String claim : List.of("iss", "exp", "iat", "username", "version")) {
            Map<String, Object> without = new java.util.HashMap<>(claims().toJSONObject());
            without.remove(claim);
            add("without " + claim, tokens.rs256(parse(without)));
        }
        for (Object username : List.of("../" + victim, victim + ".x", "", victim + "\n", "a".repeat(65), 42,
                List.of(victim))) {
            add("username " + username, tokens.rs256(tokens.claims("x").claim("username", username).build()));
        }
        add("operator's name under another key", sign(new JWSHeader(JWSAlgorithm.RS256), rsaSigner(stranger),
                tokens.claims(HostileApiTestBase.OPERATOR).build()));
        for (Object version : List.of(3, 0, -1, "1", 1.5, true)) {
            add("version " + version, tokens.rs256(tokens.claims(victim).claim("version", version).build()));
        }
    }

    private void boundElsewhere() {
        JWTClaimsSet bound = tokens.claimsV2(victim, BOUND_ADDRESS).build();
        String token = tokens.rs256(bound);
        add("v2 bound to another address", token);
        add("v2 bound to ::1", tokens.rs256(tokens.claimsV2(victim, "::1").build()));
        add("v2 without client_ip", tokens.rs256(tokens.claimsV2(victim, "x").claim("client_ip", null).build()));
        add("v2 bound to a host name", tokens.rs256(tokens.claimsV2(victim, "localhost").build()));
        add("v2 bound to 127.0.0.0/8", tokens.rs256(tokens.claimsV2(victim, "127.0.0.0/8").build()));
        cases.add(post("v2, spoofed X-Forwarded-For from an untrusted peer", token)
                .withHeader("X-Forwarded-For", BOUND_ADDRESS));
        cases.add(post("v2, spoofed Forwarded from an untrusted peer", token)
                .withHeader("Forwarded", "for=" + BOUND_ADDRESS));
        cases.add(post("v2, spoofed X-Real-IP from an untrusted peer", token).withHeader("X-Real-IP", BOUND_ADDRESS));
        cases.add(post("v2 through the trusted proxy, spoofed first X-Forwarded-For entry", token)
                .withHeader("X-Forwarded-For", BOUND_ADDRESS + ", 198.51.100.9").throughTrustedProxy());
        cases.add(post("v2 through the trusted proxy, spoofed first X-Forwarded-For header", token)
                .withHeader("X-Forwarded-For", BOUND_ADDRESS).withHeader("X-Forwarded-For", "198.51.100.9")
                .throughTrustedProxy());
        cases.add(post("v2 bound to the proxy itself, through the proxy", tokens.rs256(tokens.claimsV2(victim,
                RawHttp.TRUSTED_PROXY).build())).withHeader("X-Forwarded-For", "198.51.100.9").throughTrustedProxy());
    }

    private HostileRequest post(String what, String token) {
        return HostileRequest.post(Category.TOKENS, what, token, Bodies.valid()).expecting(401);
    }

    private void truncatedAndGarbage() {
        String valid = tokens.token(victim);
        add("signature cut short", valid.substring(0, valid.length() - 10));
        add("no signature part", valid.substring(0, valid.lastIndexOf('.')));
        add("empty signature", valid.substring(0, valid.lastIndexOf('.') + 1));
        add("header only", valid.substring(0, valid.indexOf('.')));
        add("garbage", "garbage");
        add("three junk parts", "a.b.c");
        add("base64 of nothing", "eyJ.eyJ.eyJ");
        add("JWE compact serialisation", "eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.a.b.c.d");
        add("the scheme inside X-Auth", "Bearer " + "garbage");
        add("valid token over ipam.auth.max-token-bytes", tokens.rs256(tokens.claims(victim)
                .claim("pad", "p".repeat(HostileApiTestBase.MAX_TOKEN_BYTES)).build()));
        cases.add(post("valid token over Reactor Netty's 8 KiB header limit", tokens.rs256(tokens.claims(victim)
                .claim("pad", "p".repeat(9000)).build())).refusedByTheHttpLayer(431));
        add("empty X-Auth", "");
        cases.add(new HostileRequest(Category.TOKENS, "Authorization: Bearer without token", "POST", HostileRequest.PORTMAP,
                List.of(Map.entry("Authorization", "Bearer "), Map.entry("Content-Type", HostileRequest.JSON)),
                Bodies.valid().getBytes(StandardCharsets.UTF_8), 401, false, false));
        cases.add(new HostileRequest(Category.TOKENS, "Authorization: Basic", "POST", HostileRequest.PORTMAP,
                List.of(Map.entry("Authorization", "Basic dmljdGltOnBhc3N3b3Jk"),
                        Map.entry("Content-Type", HostileRequest.JSON)), Bodies.valid().getBytes(StandardCharsets.UTF_8),
                401, false, false));
    }

    private void issuedInTheFuture() {
        Instant now = Instant.now();
        for (Duration ahead : List.of(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofDays(365 * 70))) {
            add(Category.FUTURE_IAT_TOKENS, "iat " + ahead + " ahead", tokens.rs256(tokens.claims(victim)
                    .issueTime(Date.from(now.plus(ahead))).expirationTime(Date.from(now.plus(ahead).plusSeconds(3600)))
                    .build()));
        }
    }

    private static JWTClaimsSet parse(Map<String, Object> claims) {
        try {
            return JWTClaimsSet.parse(claims);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MACSigner macSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSASSASigner rsaSigner(RSAKey key) {
        try {
            return new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, com.nimbusds.jose.JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(header).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
