package org.vlab.ipam.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs {@link NetnsTest}s only where they can work, and never lets CI skip them silently. */
final class NetnsCondition implements ExecutionCondition {

    private static final List<String> TOOLS = List.of("ip", "iptables", "iptables-restore", "iptables-save");

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missingCapability();
        if (missing == null) {
            return ConditionEvaluationResult.enabled("root with network namespace tools");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("netns tests must run in CI (CI=true), but " + missing);
        }
        String reason = "netns test skipped: " + missing + " (run as root with iproute2 and iptables, or set CI=true to fail instead)";
        System.out.println("[netns] " + context.getDisplayName() + ": " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    private static String missingCapability() {
        if (!isRoot()) {
            return "not running as root";
        }
        for (String tool : TOOLS) {
            if (!onPath(tool)) {
                return "'" + tool + "' is not installed";
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0"));
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
