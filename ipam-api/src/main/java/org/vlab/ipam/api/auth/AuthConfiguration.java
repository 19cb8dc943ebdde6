package org.vlab.ipam.api.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.web.server.adapter.ForwardedHeaderTransformer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;
import org.vlab.ipam.api.ApiProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses to start when forwarded headers could set the remote address ({@link ForwardedHeadersPolicy}),
 * loads the token verification keys at start (fetching the RS256 key from the vLab auth
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

    @Autowired
    AuthConfiguration(ApiProperties properties, Environment environment,
            ObjectProvider<ForwardedHeaderTransformer> forwardedHeaderTransformers) {
        this(properties);
        ForwardedHeadersPolicy.check(environment, forwardedHeaderTransformers.iterator().hasNext());
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
