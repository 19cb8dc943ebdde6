package org.vlab.ipam.health.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.health.HealthWorkerApplication;
import org.vlab.ipam.testsupport.TestVhost;

/** The health worker's application, started in this JVM against a test vhost; closing stops it. */
public final class RunningWorker implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningWorker(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts the worker for {@code gateway} with the given {@code ipam.*} settings (keys without
     * the prefix; {@code spring.*} keys as they are); with a {@link ScriptedNetwork}, it probes that instead of the real network.
     */
    public static RunningWorker start(TestVhost vhost, GatewayId gateway, Map<String, String> settings,
            ScriptedNetwork network) {
        Map<String, Object> properties = new LinkedHashMap<>(vhost.springProperties());
        properties.put("ipam.gateway-id", gateway.value());
        settings.forEach((key, value) -> properties.put(key.startsWith("spring.") ? key : "ipam." + key, value));
        properties.put("spring.main.banner-mode", "off");
        List<Class<?>> sources = new ArrayList<>(List.of(HealthWorkerApplication.class));
        if (network != null) {
            sources.add(ScriptedNetwork.Probers.class);
        }
        SpringApplicationBuilder builder = new SpringApplicationBuilder(sources.toArray(Class<?>[]::new))
                .web(WebApplicationType.NONE).properties(properties);
        if (network != null) {
            builder.initializers(context -> context.getBeanFactory().registerSingleton("scriptedNetwork", network));
        }
        return new RunningWorker(builder.run());
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        context.close();
    }
}
