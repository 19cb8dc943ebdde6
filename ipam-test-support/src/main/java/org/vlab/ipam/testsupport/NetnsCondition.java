package org.vlab.ipam.testsupport;

import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs {@link NetnsTest}s only where they can work, and never lets CI skip them silently. */
final class NetnsCondition implements ExecutionCondition {

    private static final List<String> TOOLS = List.of("ip", "iptables", "iptables-restore", "iptables-save");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Host.rootOnly("netns", TOOLS, context.getDisplayName());
    }
}
