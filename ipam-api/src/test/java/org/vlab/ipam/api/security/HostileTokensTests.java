package org.vlab.ipam.api.security;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * At least 20 forged tokens claiming the victim's identity, each with a valid create body:
 * every one answered 401 with the vLab envelope, nothing changed. Tokens issued in the future
 * wait for branch api-auth (tag {@code pending-merge}).
 */
class HostileTokensTests extends HostileApiTestBase {

    @Test
    void refusesEveryForgedTokenWithoutChangingAnything() {
        attack("hostile tokens", pending(HostileTokens.cases(TOKENS, victim, attacker), false), 20);
    }

    @Test
    @Tag("pending-merge")
    void refusesTokensIssuedInTheFutureOnceApiAuthIsMerged() {
        attack("hostile tokens pending a merge", pending(HostileTokens.cases(TOKENS, victim, attacker), true), 1);
    }
}
