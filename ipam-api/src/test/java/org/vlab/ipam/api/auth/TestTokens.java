package org.vlab.ipam.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Mints vLab tokens for tests, RS256 with an RSA key generated for the test run (or HS256
 * with a given secret). {@link #publicKeyPem()} is what {@code ipam.auth.public-key} takes.
 */
public final class TestTokens {

    /** A development secret long enough for HS256, for tests that configure {@code ipam.auth.dev-secret}. */
    public static final String DEV_SECRET = "test-dev-secret-that-is-at-least-32-bytes-long";

    private final String issuer;
    private final RSAKey rsa;

    private TestTokens(String issuer, RSAKey rsa) {
        this.issuer = issuer;
        this.rsa = rsa;
    }

    /** A fresh RSA 2048 key pair, for tokens issued by {@code issuer} (the configured {@code ipam.vlab-url}). */
    public static TestTokens generate(String issuer) {
        try {
            return new TestTokens(issuer, new RSAKeyGenerator(2048).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public byte[] publicKeyDer() {
        try {
            return rsa.toRSAPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String publicKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKeyDer());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** Valid claims of a version-1 token for {@code username}, good for an hour. */
    public JWTClaimsSet.Builder claims(String username) {
        return base(username, 1).claim("memberOf", List.of("users"));
    }

    /** Valid claims of a version-2 token for {@code username}, bound to {@code clientIp}. */
    public JWTClaimsSet.Builder claimsV2(String username, String clientIp) {
        return base(username, 2).claim("client_ip", clientIp).claim("email", username + "@example.org");
    }

    private JWTClaimsSet.Builder base(String username, int version) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).claim("username", username)
                .claim("version", version);
    }

    /** A valid RS256 version-1 token for {@code username}. */
    public String token(String username) {
        return rs256(claims(username).build());
    }

    public String rs256(JWTClaimsSet claims) {
        return rsa(JWSAlgorithm.RS256, claims);
    }

    /** Signed with this key pair's private key, under any RSA algorithm. */
    public String rsa(JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            return sign(algorithm, new RSASSASigner(rsa), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hs256(byte[] secret, JWTClaimsSet claims) {
        try {
            return sign(JWSAlgorithm.HS256, new MACSigner(secret), claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
