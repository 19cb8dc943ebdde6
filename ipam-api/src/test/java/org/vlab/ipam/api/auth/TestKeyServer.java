package org.vlab.ipam.api.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for the vLab auth service's {@code GET /api/1/auth/key} on 127.0.0.1: over https
 * with a self-signed certificate made by the JDK's keytool for this test run (or over plain
 * http), answering what the test sets and counting the requests.
 */
final class TestKeyServer implements AutoCloseable {

    private static final String PASSWORD = "test-only";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Path certificates;

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int failuresBeforeSuccess;
    private volatile byte[] answer;
    private volatile boolean declareLength = true;

    private TestKeyServer(HttpServer server, String keyPem) {
        this.server = server;
        serve(keyPem);
        server.createContext("/api/1/auth/key", this::answer);
        server.start();
    }

    static TestKeyServer https(String keyPem) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(serverTls()));
            return new TestKeyServer(server, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestKeyServer http(String keyPem) {
        try {
            return new TestKeyServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0),
                    keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, what {@code ipam.vlab-url} is set to. */
    String base() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    void failFirst(int failures) {
        failuresBeforeSuccess = failures;
    }

    /** Answers with {@code pem} from now on, as the vLab auth service does. */
    void serve(String pem) {
        serve("RS256", pem);
    }

    void serve(String algorithm, String pem) {
        answer = JSON.writeValueAsBytes(Map.of("error", "", "params", Map.of(),
                "content", Map.of("key", pem, "algorithm", algorithm, "format", "pem")));
    }

    /** Answers with {@code bytes} of padding, with a Content-Length or (when not {@code declared}) chunked. */
    void serveOversized(int bytes, boolean declared) {
        answer = ("{\"content\":{\"key\":\"" + "A".repeat(bytes) + "\"}}").getBytes(StandardCharsets.US_ASCII);
        declareLength = declared;
    }

    private void answer(HttpExchange exchange) throws IOException {
        boolean fail = requests.incrementAndGet() <= failuresBeforeSuccess;
        byte[] body = fail ? "{\"error\": \"down\"}".getBytes(StandardCharsets.UTF_8) : answer;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(fail ? 503 : 200, declareLength ? body.length : 0);
        try {
            exchange.getResponseBody().write(body);
        } catch (IOException clientGaveUp) {
            // the fetcher stops reading an oversized answer
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The PEM of the server's self-signed certificate, for {@code spring.ssl.bundle.pem.<name>.truststore.certificate}. */
    static Path certificatePem() {
        return certificates().resolve("vlab.pem");
    }

    /** An SSL context that trusts the server's certificate, as the API's does with the bundle. */
    static SSLContext clientTls() {
        try (InputStream pem = Files.newInputStream(certificatePem())) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("vlab", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(pem));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext serverTls() {
        try (InputStream store = Files.newInputStream(certificates().resolve("vlab.p12"))) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(store, PASSWORD.toCharArray());
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key pair and self-signed certificate for 127.0.0.1, made once per test JVM by keytool. */
    private static synchronized Path certificates() {
        if (certificates == null) {
            try {
                Path directory = Files.createTempDirectory("vlab-test-tls");
                directory.toFile().deleteOnExit();
                keytool(directory, "-genkeypair", "-alias", "vlab", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost", "-keystore", "vlab.p12",
                        "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
                keytool(directory, "-exportcert", "-rfc", "-alias", "vlab", "-keystore", "vlab.p12", "-storepass", PASSWORD,
                        "-file", "vlab.pem");
                certificates = directory;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return certificates;
    }

    private static void keytool(Path directory, String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
