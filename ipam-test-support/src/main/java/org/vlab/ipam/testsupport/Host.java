package org.vlab.ipam.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;

/** What the test JVM's own host offers: root, and the system tools root-only tests run. */
final class Host {

    private Host() {
    }

    static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0"));
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
    }

    static boolean onPath(String tool) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin", "/usr/lib/rabbitmq/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Null when root and every tool is there, else what is missing, in words. */
    static String missing(List<String> tools) {
        if (!isRoot()) {
            return "not running as root";
        }
        for (String tool : tools) {
            if (!onPath(tool)) {
                return "'" + tool + "' is not installed";
            }
        }
        return null;
    }

    /**
     * Enables a root-only test where it can run, skips it with a printed reason elsewhere, and
     * fails it in CI ({@code CI=true}), where it must never be skipped silently.
     */
    static ConditionEvaluationResult rootOnly(String tag, List<String> tools,
            String displayName) {
        String missing = missing(tools);
        if (missing == null) {
            return ConditionEvaluationResult.enabled("root with " + tools);
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(tag + " tests must run in CI (CI=true), but " + missing);
        }
        String reason = tag + " test skipped: " + missing + " (run as root with " + String.join(", ", tools)
                + ", or set CI=true to fail instead)";
        System.out.println("[" + tag + "] " + displayName + ": " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }
}
