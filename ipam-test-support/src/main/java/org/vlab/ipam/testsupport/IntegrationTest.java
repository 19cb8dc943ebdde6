package org.vlab.ipam.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test that talks to the real RabbitMQ and Redis; its parameters may ask for a {@link TestVhost} or {@link TestRedis}. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("integration")
@ExtendWith(IpamServicesExtension.class)
public @interface IntegrationTest {
}
