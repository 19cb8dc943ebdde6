package org.vlab.ipam.api.security;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * At least 500 hostile REST requests (a corpus plus seeded random mutations) against the real
 * API: every one answered 4xx with the vLab envelope, none 5xx, nothing changed in Redis and
 * no command sent to a gateway.
 */
class HostileRequestsTests extends HostileApiTestBase {

    static final int RANDOM_CASES = 300;

    private List<HostileRequest> all() {
        long seed = RandomMutations.seed();
        System.out.println("[security] random mutations: seed " + seed + " (-Dsecurity.seed=" + seed + " replays)");
        List<HostileRequest> cases = new ArrayList<>(BodyCorpus.cases(api.token(victim)));
        cases.addAll(RequestCorpus.cases(api.token(victim), api.token(attacker), api.token(OPERATOR), expired(victim),
                victim, victimPort));
        cases.addAll(RandomMutations.cases(seed, api.token(victim), RANDOM_CASES));
        return cases;
    }

    private static String expired(String user) {
        java.time.Instant now = java.time.Instant.now();
        return TOKENS.rs256(TOKENS.claims(user).issueTime(java.util.Date.from(now.minusSeconds(7200)))
                .expirationTime(java.util.Date.from(now.minusSeconds(3600))).build());
    }

    @Test
    void refusesEveryHostileRequestWithoutChangingAnything() {
        attack("hostile REST requests", all(), 500);
    }

}
