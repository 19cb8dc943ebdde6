package org.vlab.ipam.api.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.vlab.ipam.api.ApiProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Loads the token verification keys at start (fetching the RS256 key from the vLab auth
 * service when none is configured; the service does not start without a key) and lets
 * handler methods declare a {@link Caller} parameter.
 */
@Configuration(proxyBeanMethods = false)
class AuthConfiguration implements WebFluxConfigurer {

    private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

    private final ApiProperties properties;

    AuthConfiguration(ApiProperties properties) {
        this.properties = properties;
    }

    @Bean
    TokenVerifier tokenVerifier(JsonMapper json) {
        ApiProperties.Auth auth = properties.auth();
        VerificationKeys keys = VerificationKeys.configured(auth, () -> new VlabKeyFetcher(properties.vlabBase(),
                auth.keyFetchAttempts(), auth.keyFetchBackoff(), json).fetch());
        if (keys.hmac() != null) {
            log.warn("HS256 tokens signed with ipam.auth.dev-secret are accepted: for development only");
        }
        log.info("Auth tokens are verified with {} and issuer {}", keys.algorithms(), properties.vlabBase());
        return new TokenVerifier(properties, keys);
    }

    @Override
    public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
        configurer.addCustomResolver(new CallerArgumentResolver(properties.vlabBase()));
    }
}
