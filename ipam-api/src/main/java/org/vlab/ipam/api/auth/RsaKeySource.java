package org.vlab.ipam.api.auth;

import java.security.interfaces.RSAPublicKey;
import reactor.core.publisher.Mono;

/** Where the RS256 verification key comes from: configured once, or fetched from vLab and refreshed. */
interface RsaKeySource {

    /** The key tokens are verified with now. */
    RSAPublicKey current();

    /**
     * Asks for the key again because a token's RS256 signature did not verify, perhaps because
     * vLab rotated its key. Emits whether the key changed; empty when this source cannot
     * change or a refresh is not allowed yet (rate limit).
     */
    default Mono<Boolean> refreshAfterSignatureFailure() {
        return Mono.empty();
    }

    /** The key of {@code ipam.auth.public-key}, which only a restart changes. */
    static RsaKeySource fixed(RSAPublicKey key) {
        return () -> key;
    }
}
