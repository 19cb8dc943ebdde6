package org.vlab.ipam.api.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.vlab.ipam.api.ApiProperties;

/** {@link ApiProperties} bound the way the application binds them, from a few {@code ipam.*} settings. */
final class TestProperties {

    private TestProperties() {
    }

    /** Pairs of names (without {@code ipam.}) and values; everything else takes its default. */
    static ApiProperties of(String... namesAndValues) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put("ipam." + namesAndValues[i], namesAndValues[i + 1]);
        }
        settings.putIfAbsent("ipam.vlab-url", "https://vlab.test");
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("ipam", ApiProperties.class);
    }
}
