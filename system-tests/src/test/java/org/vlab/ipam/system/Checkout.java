package org.vlab.ipam.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The repository checkout the system tests run in: the services' jars as the reactor left them,
 * and {@code dev/token}, which signs tokens for the API's development secret as a developer does.
 */
public final class Checkout {

    private Checkout() {
    }

    /** The module's executable jar under the repository, as the reactor (or {@code ./mvnw package}) left it. */
    public static Path jar(String module) {
        Path target = root().resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().matches(module + "-[0-9].*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + module + " jar in " + target));
        } catch (IOException e) {
            throw new IllegalStateException("no " + target + ": build " + module + " with the system tests "
                    + "(./mvnw -pl " + module + ",system-tests -am verify ...)", e);
        }
    }

    /** A token of {@code user} from {@code issuer}, as {@code dev/token} prints it for the development {@code secret}. */
    public static String devToken(String user, String issuer, String secret) {
        try {
            ProcessBuilder builder = new ProcessBuilder(root().resolve("dev/token").toString(), user, issuer)
                    .redirectErrorStream(true);
            builder.environment().put("IPAM_AUTH_DEV_SECRET", secret);
            Process process = builder.start();
            String token = new String(process.getInputStream().readAllBytes()).strip();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("dev/token failed: " + token);
            }
            return token;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run dev/token", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running dev/token", e);
        }
    }

    /** A new temporary directory (for a service's files), left behind for a look after the run. */
    public static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException("no temporary directory", e);
        }
    }

    private static Path root() {
        return Path.of(System.getProperty("repository.root", "..")).toAbsolutePath().normalize();
    }
}
