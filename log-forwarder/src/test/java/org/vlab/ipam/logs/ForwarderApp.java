package org.vlab.ipam.logs;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.testsupport.TestVhost;

/** The forwarder application started inside the test's JVM, tuned for tests: short linger, poll and retry waits. */
final class ForwarderApp implements AutoCloseable {

    static final GatewayId GATEWAY = GatewayId.of("alice");
    /** Batches in flight in the tests that start the forwarder: a cut repeats at most this many, a crash twice as many. */
    static final int BATCHES_IN_FLIGHT = 8;

    private final ConfigurableApplicationContext context;

    private ForwarderApp(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Test settings: batches of 500 or 100 ms, the log looked at every 20 ms, publish retries at most 1 s apart. */
    static Map<String, String> settings(TestVhost vhost, Path log, Path state) {
        Map<String, String> settings = new LinkedHashMap<>(vhost.springProperties());
        settings.put("ipam.gateway-id", GATEWAY.value());
        settings.put("ipam.log-file", log.toString());
        settings.put("ipam.state-dir", state.toString());
        settings.put("ipam.batch-size", "500");
        settings.put("ipam.batch-linger", "100ms");
        settings.put("ipam.log-poll-interval", "20ms");
        settings.put("ipam.publish-retry-max", "1s");
        settings.put("ipam.batches-in-flight", Integer.toString(BATCHES_IN_FLIGHT));
        return settings;
    }

    static ForwarderApp start(Map<String, String> settings) {
        String[] arguments = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new ForwarderApp(new SpringApplicationBuilder(LogForwarderApplication.class)
                .run(concat("--server.port=0", arguments)));
    }

    double counter(String name, String... tags) {
        return context.getBean(MeterRegistry.class).counter(name, tags).count();
    }

    double gauge(String name) {
        return context.getBean(MeterRegistry.class).get(name).gauge().value();
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Override
    public void close() {
        context.close();
    }
}
