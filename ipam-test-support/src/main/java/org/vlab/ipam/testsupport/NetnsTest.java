package org.vlab.ipam.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test that needs root and network namespaces (iptables, veth pairs, real packets). Skipped
 * with a printed reason elsewhere; when {@code CI=true} it must run, so it fails instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("netns")
@ExtendWith(NetnsCondition.class)
public @interface NetnsTest {
}
