package org.vlab.ipam.events;

import java.time.Instant;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The one JSON mapper every message is written and read with: snake_case field names (as
 * api-v1 uses), ISO-8601 instants, unknown fields ignored so producers can add fields
 * without breaking older consumers, and nulls omitted. Required object fields are checked by
 * the records' constructors; required numbers and flags carry {@code @JsonProperty(required = true)}.
 */
public final class IpamJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("ipam-instants").addSerializer(Instant.class, new IsoInstantSerializer()))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .changeDefaultPropertyInclusion(inclusion -> inclusion
                    .withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL))
            .build();

    private IpamJson() {
    }

    /** Immutable and thread-safe: share it. */
    public static JsonMapper mapper() {
        return MAPPER;
    }
}
