package org.vlab.ipam.api.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.vlab.ipam.api.ApiProperties;

/** Bounds request bodies: anything larger than {@code ipam.max-body-bytes} is refused with 413 before it is parsed. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebFluxConfigurer {

    private final int maxBodyBytes;

    WebConfiguration(ApiProperties properties) {
        this.maxBodyBytes = properties.maxBodyBytes();
    }

    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
        configurer.defaultCodecs().maxInMemorySize(maxBodyBytes);
    }
}
