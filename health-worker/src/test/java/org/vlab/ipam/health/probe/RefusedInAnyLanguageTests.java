package org.vlab.ipam.health.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK takes a socket error's message from the C library, in the host's language: on a
 * German host a refused connect says "Verbindungsaufbau abgelehnt". A prober that looked for
 * "refused" in it would call a host that is up unreachable. The prober runs here in a JVM
 * started in German (a locale built for the test with localedef, nothing installed).
 */
class RefusedInAnyLanguageTests {

    @Test
    void aRefusedConnectIsRefusedOnAGermanHost(@TempDir Path locales) throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/i18n/locales/de_DE"))
                && run(List.of("localedef", "-i", "de_DE", "-f", "UTF-8", locales.resolve("de_DE.UTF-8").toString()),
                        null) != null, "needs localedef and the de_DE locale source (Debian's libc-bin and locales data)");
        int closed;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = server.getLocalPort();
        }

        String output = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ProbeInLocale.class.getName(), Integer.toString(closed)),
                locales);

        assertThat(output).as("the JDK speaks German here").contains("message=Verbindungsaufbau abgelehnt");
        assertThat(output).contains("outcome=REFUSED");
    }

    /** Runs a command (in German when {@code locales} is given); its output, or null when it failed. */
    private static String run(List<String> command, Path locales) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (locales != null) {
            builder.environment().put("LOCPATH", locales.toString());
            builder.environment().put("LC_ALL", "de_DE.UTF-8");
            builder.environment().put("LANG", "de_DE.UTF-8");
        }
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return null;
        }
        return process.exitValue() == 0 ? output : null;
    }
}
