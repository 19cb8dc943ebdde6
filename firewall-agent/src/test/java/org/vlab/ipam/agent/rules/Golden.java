package org.vlab.ipam.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with a reviewed file under {@code src/test/resources/golden/}. Run with
 * {@code -Dgolden.update=true} to rewrite the files after an intended change, then review the diff.
 */
public final class Golden {

    private static final Path DIRECTORY = Path.of("src", "test", "resources", "golden");

    private Golden() {
    }

    public static void assertMatches(String name, String actual) {
        Path file = DIRECTORY.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(DIRECTORY);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(file).as("golden file %s (create or update it with -Dgolden.update=true)", file).exists();
            assertThat(actual).as("rules compared with golden file %s", file)
                    .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
