package org.vlab.ipam.api.auth;

import java.security.NoSuchAlgorithmException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.vlab.ipam.api.ApiProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses to start when forwarded headers could set the remote address ({@link ForwardedHeadersPolicy}),
 * loads the token verification keys at start (fetching the RS256 key from the vLab auth
 * service when none is configured, and keeping it fresh; the service does not start without a
 * key) and lets handler methods declare a {@link Caller} parameter.
 */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration implements WebFluxConfigurer {

    private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

    private final ApiProperties properties;

    AuthConfiguration(ApiProperties properties, Environment environment,
            ObjectProvider<ForwardedHeaderTransformer> forwardedHeaderTransformers) {
        this.properties = properties;
        ForwardedHeadersPolicy.check(environment, forwardedHeaderTransformers.iterator().hasNext());
    }

    @Bean
    VerificationKeys verificationKeys(JsonMapper json, ObjectProvider<SslBundles> sslBundles) {
        ApiProperties.Auth auth = properties.auth();
        VerificationKeys keys = VerificationKeys.configured(auth, () -> RefreshingVlabKey.start(
                new VlabKeyFetcher(properties.vlabBase(), auth.keyFetchAllowHttp(), auth.keyFetchAttempts(),
                        auth.keyFetchBackoff(), json, tls(auth.keyTrustBundle(), sslBundles)),
                auth.keyRefreshPeriod(), auth.keyRefreshMinInterval()));
        if (keys.hmac() != null) {
            log.warn("HS256 tokens signed with ipam.auth.dev-secret are accepted: for development only");
        }
        log.info("Auth tokens are verified with {} and issuer {}", keys.algorithms(), properties.vlabBase());
        return keys;
    }

    @Bean
    TokenVerifier tokenVerifier(VerificationKeys keys) {
        return new TokenVerifier(properties, keys);
    }

    /** The JVM's trust store, or the SSL bundle {@code ipam.auth.key-trust-bundle} names (a private CA). */
    private static SSLContext tls(String bundle, ObjectProvider<SslBundles> sslBundles) {
        try {
            return bundle == null || bundle.isBlank() ? SSLContext.getDefault()
                    : sslBundles.getObject().getBundle(bundle).createSslContext();
        } catch (NoSuchAlgorithmException | NoSuchSslBundleException e) {
            throw new IllegalStateException("ipam.auth.key-trust-bundle names no usable SSL bundle ('" + bundle
                    + "'; define it under spring.ssl.bundle.pem." + bundle + ".truststore): " + e.getMessage(), e);
        }
    }

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(new CallerArgumentResolver(properties.vlabBase()));
    }
}
