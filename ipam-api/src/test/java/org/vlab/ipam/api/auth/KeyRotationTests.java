package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * The API fetches vLab's verification key over https (a local server with a certificate made
 * for the test, trusted through an SSL bundle) and follows vLab's key rotation without a
 * restart: after a signature failure (rate-limited) and periodically.
 */
@IntegrationTest
class KeyRotationTests {

    private final TestKeyServer vlab = TestKeyServer.https("no key yet");
    private final TestTokens first = TestTokens.generate(vlab.base());
    private final TestTokens second = TestTokens.generate(vlab.base());

    @AfterEach
    void stopVlab() {
        vlab.close();
    }

    private ApiReplica start(TestVhost vhost, TestRedis redis, String... settings) {
        Map<String, String> extra = new HashMap<>(Map.of("ipam.auth.public-key", "",
                "spring.ssl.bundle.pem.vlab.truststore.certificate", "file:" + TestKeyServer.certificatePem(),
                "ipam.auth.key-trust-bundle", "vlab", "ipam.auth.key-refresh-period", "1h",
                "ipam.auth.key-refresh-min-interval", "1m"));
        for (int i = 0; i < settings.length; i += 2) {
            extra.put(settings[i], settings[i + 1]);
        }
        return ApiReplica.start(vhost, redis, first, extra);
    }

    private static int status(ApiReplica api, String token) {
        return new ApiClient(api.port(), null).http().get().uri("/api/1/ipam/portmap").header("X-Auth", token)
                .exchange().returnResult(byte[].class).getStatus().value();
    }

    @Test
    void acceptsATokenOfARotatedKeyRightAfterItsSignatureFailedWithoutRestart(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("rotated");
        vlab.serve(first.publicKeyPem());
        try (ApiReplica api = start(vhost, redis)) {
            assertThat(status(api, first.token(gateway))).isEqualTo(200);
            assertThat(vlab.requests()).isEqualTo(1);

            vlab.serve(second.publicKeyPem());

            assertThat(status(api, second.token(gateway))).isEqualTo(200);
            assertThat(vlab.requests()).as("one fetch at start, one after the signature failure").isEqualTo(2);
            assertThat(status(api, first.token(gateway))).as("the previous key is no longer accepted").isEqualTo(401);
            assertThat(status(api, second.token(gateway))).isEqualTo(200);
            assertThat(vlab.requests()).as("no refresh within the minimum interval").isEqualTo(2);
        }
    }

    @Test
    void refreshesAtMostOncePerIntervalHoweverManyTokensFailTheirSignature(TestVhost vhost, TestRedis redis) {
        String gateway = TestRedis.uniqueName("flooded");
        TestTokens forger = TestTokens.generate(vlab.base());
        vlab.serve(first.publicKeyPem());
        try (ApiReplica api = start(vhost, redis)) {
            for (int i = 0; i < 50; i++) {
                assertThat(status(api, forger.token(gateway))).isEqualTo(401);
            }

            assertThat(vlab.requests()).as("one fetch at start, one refresh for 50 forged tokens").isEqualTo(2);
            assertThat(status(api, first.token(gateway))).isEqualTo(200);
        }
    }

    @Test
    void refreshesTheKeyPeriodically(TestVhost vhost, TestRedis redis) {
        vlab.serve(first.publicKeyPem());
        try (ApiReplica api = start(vhost, redis, "ipam.auth.key-refresh-period", "1s")) {
            vlab.serve(second.publicKeyPem());

            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    java.util.Arrays.equals(api.bean(VerificationKeys.class).rsa().current().getEncoded(),
                            second.publicKeyDer()));
            assertThat(status(api, second.token(TestRedis.uniqueName("periodic")))).isEqualTo(200);
        }
    }

    @Test
    void refusesToStartWithAnHttpVlabUrlUnlessTheDevelopmentSwitchIsSet(TestVhost vhost, TestRedis redis) {
        try (TestKeyServer plain = TestKeyServer.http("no key yet")) {
            TestTokens tokens = TestTokens.generate(plain.base());
            plain.serve(tokens.publicKeyPem());
            Map<String, String> fetchKey = Map.of("ipam.auth.public-key", "", "ipam.auth.key-fetch-attempts", "1");

            assertThatThrownBy(() -> ApiReplica.start(vhost, redis, tokens, fetchKey).close()).rootCause()
                    .hasMessageContaining("Refusing to fetch the token verification key from " + plain.base())
                    .hasMessageContaining("ipam.auth.key-fetch-allow-http=true");
            assertThat(plain.requests()).isZero();

            Map<String, String> allowed = new HashMap<>(fetchKey);
            allowed.put("ipam.auth.key-fetch-allow-http", "true");
            try (ApiReplica api = ApiReplica.start(vhost, redis, tokens, allowed)) {
                assertThat(status(api, tokens.token(TestRedis.uniqueName("plain")))).isEqualTo(200);
            }
        }
    }
}
