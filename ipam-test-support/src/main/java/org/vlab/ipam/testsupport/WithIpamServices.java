package org.vlab.ipam.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.ContextConfiguration;

/**
 * For a {@code @SpringBootTest}: the application connects to its own vhost of the test
 * RabbitMQ and to the test Redis (key prefix in {@code ipam.test.redis-key-prefix}); the
 * {@link TestVhost} and {@link TestRedis} are beans the test can autowire.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag("integration")
@ContextConfiguration(initializers = IpamServicesContextInitializer.class)
public @interface WithIpamServices {
}
