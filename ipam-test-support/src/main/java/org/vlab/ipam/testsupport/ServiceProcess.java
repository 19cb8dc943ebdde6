package org.vlab.ipam.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's executable jar running as a process of its own, as an operator starts it:
 * {@code java -jar}, pointed at the test services, its management (Actuator) port a free port
 * chosen here and its application port any free one or the caller's. Its output
 * goes to a file under {@code target/service-processes/}. {@link #stop()} sends SIGTERM, as
 * a service manager or Kubernetes does, and waits for the exit.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The system property (set by the failsafe configuration) naming the module's repackaged jar. */
    public static final String JAR_PROPERTY = "service.jar";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    private final Path output;
    private final int port;
    private final int applicationPort;
    private final String host;

    private ServiceProcess(Process process, Path output, int port, int applicationPort, String host) {
        this.process = process;
        this.output = output;
        this.port = port;
        this.applicationPort = applicationPort;
        this.host = host;
    }

    /** The jar named by the {@value #JAR_PROPERTY} system property; fails with a hint when it is missing. */
    public static Path serviceJar() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("no service jar at " + JAR_PROPERTY + "=" + jar
                    + ": jar tests run through failsafe after the package phase (./mvnw verify)");
        }
        return Path.of(jar);
    }

    /** Starts {@code java -jar jar} with the given arguments and extra environment, on a free port. */
    public static ServiceProcess start(Path jar, List<String> arguments, Map<String, String> environment) {
        return start(List.of(), "127.0.0.1", jar, arguments, environment);
    }

    /**
     * Starts {@code java -jar jar} behind {@code commandPrefix} (such as {@code ip netns exec
     * <namespace>}, which execs, so the process is the service itself), its management port answering
     * on {@code host} (an address of the namespace the test reaches it by), its application port any free one.
     */
    public static ServiceProcess start(List<String> commandPrefix, String host, Path jar, List<String> arguments,
            Map<String, String> environment) {
        return start(commandPrefix, host, jar, 0, arguments, environment);
    }

    /**
     * As {@link #start(List, String, Path, List, Map)}, the application port (the API's) being
     * {@code applicationPort} ({@link FreePort#next()} finds one; 0 is any), which {@link #applicationUri} then names.
     */
    public static ServiceProcess start(List<String> commandPrefix, String host, Path jar, int applicationPort,
            List<String> arguments, Map<String, String> environment) {
        int port = FreePort.next();
        List<String> command = command(commandPrefix, jar, applicationPort, port, arguments);
        String name = jar.getFileName().toString().replaceAll("\\.jar$", "");
        Path output = Path.of("target", "service-processes", name + "-" + System.nanoTime() + ".log");
        try {
            Files.createDirectories(output.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            return new ServiceProcess(builder.start(), output, port, applicationPort, host);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /**
     * The command line; the ports are chosen here only, since Spring joins a property given twice
     * ({@code --server.port=0 --server.port=8080} binds "0,8080"), so arguments may not set them.
     */
    static List<String> command(List<String> commandPrefix, Path jar, int applicationPort, int managementPort,
            List<String> arguments) {
        arguments.stream().filter(a -> a.startsWith("--server.port=") || a.startsWith("--management.server.port="))
                .findAny().ifPresent(a -> {
                    throw new IllegalArgumentException(a + ": choose the ports by the start method's parameters");
                });
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--server.port=" + applicationPort, "--management.server.port=" + managementPort));
        command.addAll(arguments);
        return command;
    }

    /** The arguments that point a service at a test vhost and the test Redis. */
    public static List<String> serviceArguments(TestVhost vhost, TestRedis redis) {
        Map<String, String> properties = new LinkedHashMap<>(vhost.springProperties());
        properties.putAll(redis.springProperties());
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    /** The management (Actuator) port. */
    public int port() {
        return port;
    }

    /** {@code path} on the management port. */
    public URI uri(String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    /** {@code path} on the application port chosen at start; fails when any free one was taken. */
    public URI applicationUri(String path) {
        if (applicationPort == 0) {
            throw new IllegalStateException("started on any free application port: choose one to address it");
        }
        return URI.create("http://" + host + ":" + applicationPort + path);
    }

    /** Waits until {@code /actuator/health} answers UP; fails at once, with the output's end, if the process exits. */
    public ServiceProcess awaitHealthy(Duration timeout) {
        await("health of " + output.getFileName()).atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the service exited with " + process.exitValue()
                                + " before it was healthy; its output ends:\n" + tail(40));
                    }
                    return "UP".equals(healthStatus());
                });
        return this;
    }

    /** The {@code status} of {@code /actuator/health}, or null while the service does not answer. */
    public String healthStatus() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/actuator/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("status").asString(null);
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
    public int stop(Duration timeout) {
        process.destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("the service did not stop within " + timeout
                        + " of SIGTERM and was killed; its output ends:\n" + tail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the service to stop", e);
        }
        return process.exitValue();
    }

    /** Kills the process at once (SIGKILL), as a crash or the OOM killer would, and waits for it; returns its exit code. */
    public int kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the killed service", e);
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The service's process id (a command prefix that execs, as {@code ip netns exec} does, keeps it). */
    public long pid() {
        return process.pid();
    }

    /** The exit code; fails while the process runs. */
    public int exitCode() {
        return process.exitValue();
    }

    public Path outputFile() {
        return output;
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public List<String> outputLines() {
        try {
            return Files.readAllLines(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String tail(int lines) {
        List<String> all = outputLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
