package org.vlab.ipam.testsupport;

import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring application context under test at the test services: its own vhost and
 * Redis key prefix, both removed when the context closes. Used through {@link WithIpamServices}.
 */
public final class IpamServicesContextInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestServices services = TestServices.get();
        String hint = context.getId() == null ? "context" : context.getId();
        TestVhost vhost = services.rabbit().newVhost(hint.length() > 20 ? hint.substring(0, 20) : hint);
        TestRedis redis = services.redis().newKeyspace();
        Map<String, Object> properties = new HashMap<>();
        properties.putAll(vhost.springProperties());
        properties.putAll(redis.springProperties());
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("ipam-test-services", properties));
        context.getBeanFactory().registerSingleton("ipamTestVhost", vhost);
        context.getBeanFactory().registerSingleton("ipamTestRedis", redis);
        context.addApplicationListener((ApplicationListener<ContextClosedEvent>) event -> {
            if (event.getApplicationContext() == context) {
                vhost.close();
                redis.close();
            }
        });
    }
}
