package org.vlab.ipam.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README is the front door: its two commands must be the ones that really run the system
 * and the tests. CI runs exactly the README's test command, and the commands work verbatim as
 * root on a machine without {@code sudo}.
 */
class ReadmeCommandsTests {

    private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    private final Path root = repositoryRoot();

    @Test
    void readmeNamesExactlyTwoCommandsTheRunAndTheTestScript() throws IOException {
        assertThat(twoCommands()).containsExactly("dev/run", "dev/test");
    }

    @Test
    void ciRunsExactlyTheReadmesTestCommand() throws IOException {
        List<String> ciCommands = commandLines(Files.readString(root.resolve(".ci/run")));

        assertThat(ciCommands).as("the commands of .ci/run").isNotEmpty();
        assertThat(ciCommands.get(ciCommands.size() - 1)).as(".ci/run's last command").isEqualTo(twoCommands().get(1));
    }

    @Test
    void theTestCommandPreparesTheMachineAndRunsTheWholeBuild() throws IOException {
        List<String> commands = commandLines(Files.readString(root.resolve("dev/test")));

        assertThat(Files.isExecutable(root.resolve("dev/test"))).isTrue();
        assertThat(commands).anyMatch(line -> line.contains("bash .ci/services"))
                .last().isEqualTo("exec ./mvnw -B verify \"$@\"");
    }

    @Test
    void theRunCommandStartsTheGatewayInABoxAndServesTheApi() throws IOException {
        List<String> commands = commandLines(Files.readString(root.resolve("dev/run")));

        assertThat(Files.isExecutable(root.resolve("dev/run"))).isTrue();
        assertThat(Files.isExecutable(root.resolve("demo/gateway-in-a-box"))).isTrue();
        assertThat(commands).last().asString().contains("demo/gateway-in-a-box").contains("--serve");
    }

    @Test
    void noDocumentedCommandNeedsSudo() throws IOException {
        List<String> offending = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(ReadmeCommandsTests::isProjectMarkdown).toList()) {
                Matcher block = SH_BLOCK.matcher(Files.readString(file));
                while (block.find()) {
                    block.group(1).lines().filter(line -> line.strip().startsWith("sudo "))
                            .forEach(line -> offending.add(root.relativize(file) + ": " + line));
                }
            }
        }
        assertThat(offending).as("commands in shell blocks that assume sudo (the machines run as root)").isEmpty();
    }

    private List<String> twoCommands() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        int start = readme.indexOf("\n## Two commands\n");
        assertThat(start).as("README has a 'Two commands' section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        Matcher block = SH_BLOCK.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        List<String> commands = new ArrayList<>();
        while (block.find()) {
            commands.addAll(commandLines(block.group(1)));
        }
        return commands;
    }

    /** The lines of a shell text that run something: neither blank, nor comments, nor the shebang. */
    private static List<String> commandLines(String script) {
        return script.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    private static boolean isProjectMarkdown(Path file) {
        String path = file.toString();
        return path.endsWith(".md") && !path.contains("/target/") && !path.contains("/node_modules/")
                && !path.contains("/.git/");
    }

    private static Path repositoryRoot() {
        try {
            return Path.of(System.getProperty("repository.root", "..")).toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("the repository root is not where the build runs", e);
        }
    }
}
