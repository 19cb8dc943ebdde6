package org.vlab.ipam.api.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.vlab.ipam.api.ApiProperties;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How request bodies are read: anything larger than {@code ipam.max-body-bytes} is refused
 * with 413 before it is parsed, and a JSON object that repeats a key is refused with 400
 * (which of two values would count is exactly what a client and a proxy may disagree on).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebFluxConfigurer {

    private final int maxBodyBytes;
    private final JsonMapper requestJson;

    WebConfiguration(ApiProperties properties, JsonMapper json) {
        this.maxBodyBytes = properties.maxBodyBytes();
        this.requestJson = json.rebuild().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    @Override
    public void configureHttpMessageCodecs(ServerCodecConfigurer configurer) {
        configurer.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(requestJson));
        configurer.defaultCodecs().maxInMemorySize(maxBodyBytes);
    }
}
