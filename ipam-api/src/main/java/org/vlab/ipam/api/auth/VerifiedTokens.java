package org.vlab.ipam.api.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The claims of tokens whose signature and claims were verified lately: a client sends the same
 * token with every request, and parsing it and checking its signature again was about 5 % of a
 * create's CPU (issue 14, docs/scaling.md). An entry lives at most {@link #TTL} and never past the
 * token's expiry plus the leeway, so an expired token is verified again and refused as expired;
 * an entry counts only while the RSA key it was verified under is still the current one, so a
 * token of a key vLab rotated away is refused as before. Only tokens that
 * passed every check are kept; what depends on the request (a version 2 token's client address)
 * is still checked on every request.
 */
final class VerifiedTokens {

    static final Duration TTL = Duration.ofSeconds(30);
    /** Beyond this many tokens (each at most ipam.auth.max-token-bytes) the cache starts over. */
    static final int MAX_ENTRIES = 4096;

    /** {@code key}: the current RSA key when the token was verified (null without one), compared by identity. */
    private record Entry(JWTClaimsSet claims, Object key, long validUntilMillis) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long leewayMillis;

    VerifiedTokens(Duration leeway) {
        this.leewayMillis = leeway.toMillis();
    }

    /** The claims of {@code token} if it was verified lately, under {@code currentKey}, and has not expired since; else null. */
    JWTClaimsSet claims(String token, Object currentKey) {
        Entry entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (entry.key() != currentKey || System.currentTimeMillis() >= entry.validUntilMillis()) {
            entries.remove(token, entry);
            return null;
        }
        return entry.claims();
    }

    /** Keeps the claims of a token that passed the signature and claims checks with {@code key} current before. */
    void remember(String token, JWTClaimsSet claims, Object key) {
        long until = System.currentTimeMillis() + TTL.toMillis();
        if (claims.getExpirationTime() != null) {
            until = Math.min(until, claims.getExpirationTime().getTime() + leewayMillis);
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(token, new Entry(claims, key, until));
    }
}
