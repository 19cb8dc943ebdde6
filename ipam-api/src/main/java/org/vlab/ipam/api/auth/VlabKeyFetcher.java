package org.vlab.ipam.api.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fetches the RS256 public key from the vLab auth service, as
 * {@code GET {vlab-url}/api/1/auth/key} answering
 * {@code {"content": {"key": "<PEM>", "algorithm": "RS256", "format": "pem"}}}. Only over
 * https (whoever answers decides which tokens the API accepts), unless a development switch
 * allows http; never following redirects; answers larger than {@value #MAX_ANSWER_BYTES}
 * bytes are refused. At start, unreachable or failing answers are retried; a key of the wrong
 * kind is not, since retrying cannot fix it.
 */
final class VlabKeyFetcher {

    static final int MAX_ANSWER_BYTES = 65536;

    private static final Logger log = LoggerFactory.getLogger(VlabKeyFetcher.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI endpoint;
    private final boolean plainHttp;
    private final int attempts;
    private final Duration backoff;
    private final JsonMapper json;
    private final HttpClient http;

    /**
     * @param allowHttp the development switch {@code ipam.auth.key-fetch-allow-http}
     * @param tls the trust material for the vLab server's certificate
     */
    VlabKeyFetcher(String vlabBase, boolean allowHttp, int attempts, Duration backoff, JsonMapper json, SSLContext tls) {
        this.endpoint = URI.create(vlabBase + "/api/1/auth/key");
        this.plainHttp = "http".equalsIgnoreCase(endpoint.getScheme());
        if (plainHttp && !allowHttp) {
            throw new IllegalStateException("Refusing to fetch the token verification key from " + endpoint
                    + " over plain http: anyone on the path could replace it and sign their own tokens. Make ipam.vlab-url "
                    + "(VLAB_URL) https, or set IPAM_AUTH_PUBLIC_KEY (ipam.auth.public-key); for development only, "
                    + "ipam.auth.key-fetch-allow-http=true allows http.");
        }
        if (plainHttp) {
            log.warn("!!! INSECURE: the token verification key is fetched over plain http from {} "
                    + "(ipam.auth.key-fetch-allow-http=true). Anyone on the path can replace it and sign tokens "
                    + "for any user. For development only.", endpoint);
        }
        this.attempts = attempts;
        this.backoff = backoff;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(tls).build();
    }

    URI endpoint() {
        return endpoint;
    }

    /** The key, or an {@link IllegalStateException} that stops the service with the reason and the way out. */
    RSAPublicKey fetchAtStart() {
        String lastFailure = "no attempt made";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                RSAPublicKey key = fetch();
                log.info("Fetched the RS256 token verification key from {} (attempt {}/{})", endpoint, attempt, attempts);
                return key;
            } catch (Transient failure) {
                lastFailure = failure.getMessage();
                log.warn("Fetching the token verification key from {} failed (attempt {}/{}): {}", endpoint, attempt,
                        attempts, lastFailure);
            } catch (IllegalArgumentException unusable) {
                throw cannotStart("it answered with an unusable key: " + unusable.getMessage());
            }
            if (attempt < attempts) {
                pause();
            }
        }
        throw cannotStart("all " + attempts + " attempts failed, the last with: " + lastFailure);
    }

    /**
     * One attempt. Throws {@link Transient} when the service could not be asked or answered
     * badly, {@link IllegalArgumentException} when it answered with a key of the wrong kind.
     */
    RSAPublicKey fetch() throws Transient {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT).header("Accept", "application/json")
                    .GET().build(), BoundedBody.handler(MAX_ANSWER_BYTES));
        } catch (IOException e) {
            throw new Transient(tooLarge(e) ? "the answer is larger than " + MAX_ANSWER_BYTES + " bytes" : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Transient("interrupted while fetching the key");
        }
        if (response.statusCode() != 200) {
            throw new Transient("HTTP status " + response.statusCode());
        }
        if (plainHttp) {
            log.warn("Fetched the token verification key over plain http from {} (development only)", endpoint);
        }
        JsonNode content;
        try {
            content = json.readTree(response.body()).path("content");
        } catch (JacksonException e) {
            throw new Transient("the answer is not JSON");
        }
        JsonNode key = content.path("key");
        if (!key.isString()) {
            throw new Transient("the answer has no content.key");
        }
        JsonNode algorithm = content.path("algorithm");
        if (!algorithm.isMissingNode() && !"RS256".equals(algorithm.asString())) {
            throw new IllegalArgumentException("algorithm is " + algorithm + ", expected \"RS256\"");
        }
        JsonNode format = content.path("format");
        if (!format.isMissingNode() && !"pem".equalsIgnoreCase(format.asString())) {
            throw new IllegalArgumentException("format is " + format + ", expected \"pem\"");
        }
        return RsaPublicKeyPem.parse(key.stringValue());
    }

    private static boolean tooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BoundedBody.TooLarge) {
                return true;
            }
        }
        return false;
    }

    private void pause() {
        try {
            Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cannotStart("interrupted while waiting to retry");
        }
    }

    private IllegalStateException cannotStart(String why) {
        return new IllegalStateException("No key to verify auth tokens: fetching it from " + endpoint + " failed; " + why
                + ". Set IPAM_AUTH_PUBLIC_KEY (ipam.auth.public-key) to the vLab auth service's RS256 public key in PEM, "
                + "or make " + endpoint + " reachable.");
    }

    /** A failure that a later attempt may not meet. */
    static final class Transient extends Exception {

        private static final long serialVersionUID = 1L;

        Transient(String message) {
            super(message, null, false, false);
        }
    }
}
