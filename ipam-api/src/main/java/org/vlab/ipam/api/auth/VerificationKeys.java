package org.vlab.ipam.api.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.vlab.ipam.api.ApiProperties;

/**
 * The keys tokens are verified with, each bound to its one algorithm: RS256 with the RSA
 * public key, HS256 with the development secret. A token's {@code alg} header only picks
 * among these; it can never make the server use a key with another algorithm.
 *
 * @param rsa where the RS256 key comes from, or null when only the development secret is configured
 * @param hmac the HS256 secret, or null (always null unless {@code ipam.auth.dev-secret} is set)
 */
record VerificationKeys(RsaKeySource rsa, SecretKey hmac) implements AutoCloseable {

    VerificationKeys {
        if (rsa == null && hmac == null) {
            throw new IllegalStateException("No key to verify auth tokens with");
        }
    }

    /**
     * The configured keys: the PEM of {@code ipam.auth.public-key}; else, when no development
     * secret is set either, the key {@code fetch} gets from the vLab auth service (and keeps fresh).
     */
    static VerificationKeys configured(ApiProperties.Auth auth, Supplier<RsaKeySource> fetch) {
        boolean hasPem = auth.publicKey() != null && !auth.publicKey().isBlank();
        boolean hasSecret = auth.devSecret() != null && !auth.devSecret().isEmpty();
        RsaKeySource rsa = null;
        if (hasPem) {
            try {
                rsa = RsaKeySource.fixed(RsaPublicKeyPem.parse(auth.publicKey()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("ipam.auth.public-key (IPAM_AUTH_PUBLIC_KEY) is unusable: " + e.getMessage());
            }
        } else if (!hasSecret) {
            rsa = fetch.get();
        }
        SecretKey hmac = hasSecret
                ? new SecretKeySpec(auth.devSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256") : null;
        return new VerificationKeys(rsa, hmac);
    }

    /** The algorithms tokens may be signed with, for the log. */
    List<String> algorithms() {
        return rsa == null ? List.of("HS256") : hmac == null ? List.of("RS256") : List.of("RS256", "HS256");
    }

    /** Offers a key only for the algorithm it is configured for; any other {@code alg} finds none and is refused. */
    JWSKeySelector<SecurityContext> selector() {
        return (header, context) -> {
            Key key = JWSAlgorithm.RS256.equals(header.getAlgorithm()) ? (rsa == null ? null : rsa.current())
                    : JWSAlgorithm.HS256.equals(header.getAlgorithm()) ? hmac : null;
            return key == null ? List.of() : List.of(key);
        };
    }

    /** Stops refreshing a fetched key. */
    @Override
    public void close() throws Exception {
        if (rsa instanceof AutoCloseable refreshing) {
            refreshing.close();
        }
    }
}
