package org.vlab.ipam.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test on {@link LocalClusters}: a Redis Cluster and a RabbitMQ cluster started from Debian's
 * packages, which needs root. Skipped with a printed reason elsewhere; with {@code CI=true} it
 * must run, so it fails instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("cluster")
@ExtendWith(ClusterTest.Condition.class)
public @interface ClusterTest {

    /** Enables cluster tests where root and the servers are there. */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return Host.rootOnly("cluster", java.util.List.of("redis-server", "redis-cli", "rabbitmqctl", "runuser"),
                    context.getDisplayName());
        }
    }
}
