package org.vlab.ipam.api.security;

import org.junit.jupiter.api.Test;

/**
 * At least 20 forged tokens claiming the victim's identity, each with a valid create body:
 * every one answered 401 with the vLab envelope, nothing changed.
 */
class HostileTokensTests extends HostileApiTestBase {

    @Test
    void refusesEveryForgedTokenWithoutChangingAnything() {
        attack("hostile tokens", HostileTokens.cases(TOKENS, victim, attacker), 20);
    }

}
