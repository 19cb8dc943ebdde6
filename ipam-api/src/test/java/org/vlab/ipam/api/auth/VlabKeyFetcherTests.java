package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

/** Fetching vLab's verification key: https only, bounded answers, retries at start. */
@ExtendWith(OutputCaptureExtension.class)
class VlabKeyFetcherTests {

    private static final TestTokens TOKENS = TestTokens.generate("placeholder");

    private final JsonMapper json = JsonMapper.builder().build();
    private final TestKeyServer server = TestKeyServer.https(TOKENS.publicKeyPem());

    @AfterEach
    void stopAuthService() {
        server.close();
    }

    private VlabKeyFetcher fetcher(String base, boolean allowHttp, SSLContext tls) {
        return new VlabKeyFetcher(base, allowHttp, 3, Duration.ofMillis(20), json, tls);
    }

    private VlabKeyFetcher trusting() {
        return fetcher(server.base(), false, TestKeyServer.clientTls());
    }

    @Test
    void fetchesTheKeyOverHttpsFromAServerItTrusts() {
        assertThat(trusting().fetchAtStart().getEncoded()).isEqualTo(TOKENS.publicKeyDer());
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void refusesAServerWhoseCertificateItDoesNotTrust() throws NoSuchAlgorithmException {
        assertThatThrownBy(() -> fetcher(server.base(), false, SSLContext.getDefault()).fetchAtStart())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("all 3 attempts failed")
                .hasMessageContaining("SSLHandshakeException");
    }

    @Test
    void refusesPlainHttpWithAClearMessage() {
        assertThatThrownBy(() -> fetcher("http://127.0.0.1:1", false, TestKeyServer.clientTls()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to fetch the token verification key from http://127.0.0.1:1/api/1/auth/key")
                .hasMessageContaining("over plain http").hasMessageContaining("VLAB_URL")
                .hasMessageContaining("IPAM_AUTH_PUBLIC_KEY").hasMessageContaining("ipam.auth.key-fetch-allow-http=true");
    }

    @Test
    void fetchesOverHttpOnlyWithTheDevelopmentSwitchAndSaysSoLoudly(CapturedOutput output) throws Exception {
        try (TestKeyServer plain = TestKeyServer.http(TOKENS.publicKeyPem())) {
            VlabKeyFetcher fetcher = fetcher(plain.base(), true, SSLContext.getDefault());

            assertThat(fetcher.fetchAtStart().getEncoded()).isEqualTo(TOKENS.publicKeyDer());
            assertThat(output.getAll()).contains("WARN").contains("!!! INSECURE")
                    .contains("over plain http from " + plain.base());
        }
    }

    @Test
    void refusesAnOversizedAnswerWithOrWithoutALength() {
        server.serveOversized(VlabKeyFetcher.MAX_ANSWER_BYTES + 1, true);
        assertThatThrownBy(() -> trusting().fetch()).isInstanceOf(VlabKeyFetcher.Transient.class)
                .hasMessage("the answer is larger than 65536 bytes");

        server.serveOversized(10 * 1024 * 1024, false);
        assertThatThrownBy(() -> trusting().fetchAtStart()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the last with: the answer is larger than 65536 bytes");
    }

    @Test
    void retriesUntilTheAuthServiceAnswers() {
        server.failFirst(2);

        assertThat(trusting().fetchAtStart().getEncoded()).isEqualTo(TOKENS.publicKeyDer());
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void failsToStartAfterTheLastAttemptWithAClearMessage() {
        server.failFirst(Integer.MAX_VALUE);

        assertThatThrownBy(() -> trusting().fetchAtStart()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No key to verify auth tokens")
                .hasMessageContaining(server.base() + "/api/1/auth/key")
                .hasMessageContaining("all 3 attempts failed, the last with: HTTP status 503")
                .hasMessageContaining("IPAM_AUTH_PUBLIC_KEY");
        assertThat(server.requests()).isEqualTo(3);
    }

    @Test
    void failsToStartWhenTheAuthServiceIsUnreachable() {
        VlabKeyFetcher fetcher = trusting();
        server.close();

        assertThatThrownBy(fetcher::fetchAtStart).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 3 attempts failed");
    }

    @Test
    void doesNotRetryAKeyOfTheWrongKind() {
        server.serve("HS256", TOKENS.publicKeyPem());

        assertThatThrownBy(() -> trusting().fetchAtStart()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unusable key").hasMessageContaining("RS256");
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void fetchesNothingWhenAKeyOrADevSecretIsConfigured() {
        for (String[] settings : new String[][] {{"auth.public-key", TOKENS.publicKeyPem()},
                {"auth.public-key", TOKENS.publicKeyPem().replace("\n", "\\n")}, {"auth.dev-secret", TestTokens.DEV_SECRET}}) {
            VerificationKeys.configured(TestProperties.of(settings).auth(), () -> {
                throw new AssertionError("no key fetch expected");
            });
        }
    }

    @Test
    void failsToStartWithAnUnreadableConfiguredKey() {
        assertThatThrownBy(() -> VerificationKeys.configured(TestProperties.of("auth.public-key", "not a pem").auth(),
                () -> null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("ipam.auth.public-key");
    }
}
