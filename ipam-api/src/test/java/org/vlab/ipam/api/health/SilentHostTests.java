package org.vlab.ipam.api.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.api.testing.ApiClient;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.ApiReplica;
import org.vlab.ipam.testsupport.IntegrationTest;
import org.vlab.ipam.testsupport.NetnsTest;
import org.vlab.ipam.testsupport.NetworkLab;
import org.vlab.ipam.testsupport.TestRedis;
import org.vlab.ipam.testsupport.TestVhost;

/**
 * Redis or RabbitMQ on a host that silently drops every packet (a network namespace whose
 * firewall drops all TCP): the health check and writes answer within about 2 s, however many
 * arrive at once, instead of waiting out the clients' default connect timeouts.
 */
@NetnsTest
@IntegrationTest
class SilentHostTests {

    static final TestTokens TOKENS = TestTokens.generate("https://vlab.test");
    /**
     * The broker check gives up after 1.5 s and connects time out after 2 s; the rest is room
     * for a loaded CI machine (measured 1.6-2.6 s on the server, 2.7-3.2 s at the client, at
     * load 26-32 on 2 cores). Without the bounds these answers took 4-26 s, queueing behind
     * each other's connect (Lettuce: 10 s each; the RabbitMQ client: 60 s).
     */
    static final Duration BOUND = Duration.ofMillis(3500);
    /**
     * Stopping waits for each listener container's consumers (up to Spring's 5 s shutdown
     * timeout) while they give up their connect attempts (2 s).
     */
    static final Duration STOP_BOUND = Duration.ofSeconds(20);

    static NetworkLab lab;
    static String silentHost;

    @BeforeAll
    static void blackHole() {
        lab = new NetworkLab();
        String namespace = lab.namespace("silent");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String net = "100." + (64 + random.nextInt(64)) + "." + random.nextInt(256) + "." + 4 * random.nextInt(64);
        String base = net.substring(0, net.lastIndexOf('.') + 1);
        int last = Integer.parseInt(net.substring(net.lastIndexOf('.') + 1));
        silentHost = base + (last + 2);
        lab.connectToHost(namespace, silentHost + "/30", base + (last + 1) + "/30");
        lab.exec(namespace, "iptables", "-A", "INPUT", "-p", "tcp", "-j", "DROP");
    }

    @AfterAll
    static void removeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    record Timed(Answer answer, Duration took) {
    }

    static Timed timed(Supplier<Answer> call) {
        long started = System.nanoTime();
        Answer answer = call.get();
        return new Timed(answer, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Sends {@code count} requests at once and returns each answer with its latency. */
    static List<Timed> atOnce(int count, Supplier<Answer> call) {
        ExecutorService clients = Executors.newFixedThreadPool(count);
        try {
            List<CompletableFuture<Timed>> calls = IntStream.range(0, count)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> timed(call), clients)).toList();
            return calls.stream().map(CompletableFuture::join).toList();
        } finally {
            clients.shutdown();
        }
    }

    @Test
    void aSilentRedisHostCostsTheHealthcheckAndAPostAtMostAbout2Seconds(TestVhost vhost, TestRedis redis) {
        assertEveryAnswerWithinTheBound(vhost, redis, "spring.data.redis.host", "Redis");
    }

    @Test
    void aSilentBrokerHostCostsTheHealthcheckAndAPostAtMostAbout2Seconds(TestVhost vhost, TestRedis redis) {
        assertEveryAnswerWithinTheBound(vhost, redis, "spring.rabbitmq.host", "RabbitMQ");
        // the only key: the marker the API writes at start once no key of the first layout is left
        assertThat(redis.commands().keys(redis.keyPrefix() + "*")).as("nothing written")
                .containsOnly(redis.keyPrefix() + "layout");
    }

    /** Six health checks, then six POSTs, all at once, against an API whose {@code hostProperty} names the silent host. */
    static void assertEveryAnswerWithinTheBound(TestVhost vhost, TestRedis redis, String hostProperty, String service) {
        String gateway = TestRedis.uniqueName("silent");
        ApiReplica api = ApiReplica.start(vhost, redis, TOKENS, Map.of(hostProperty, silentHost));
        try {
            ApiClient client = new ApiClient(api.port(), TOKENS);
            // Warm up what a first request costs (class loading), with a route that needs neither service.
            assertThat(client.get("anyone", "/api/1/ipam/portmap?describe=true").status()).isEqualTo(200);

            List<Timed> checks = atOnce(6, () -> client.get("anyone", "/api/1/ipam/healthcheck"));
            List<Timed> posts = atOnce(6, () -> client.post(gateway, target("192.168.1.20", 22, "lin01", "Linux")));

            assertThat(checks).allSatisfy(check -> {
                assertThat(check.answer().status()).isEqualTo(500);
                assertThat(check.answer().error()).isEqualTo("Unhealthy: " + service + " is unreachable");
                assertThat(check.took()).isLessThan(BOUND);
            });
            assertThat(posts).allSatisfy(post -> {
                assertThat(post.answer().status()).isEqualTo(503);
                assertThat(post.answer().error()).isEqualTo(service + " is unreachable; nothing was changed, retry later");
                assertThat(post.took()).isLessThan(BOUND);
            });
        } finally {
            Timed stop = timed(() -> {
                api.close();
                return null;
            });
            // a replica asked to stop must not wait out its consumers' connect attempts: it once took minutes
            assertThat(stop.took()).as("stopping the replica").isLessThan(STOP_BOUND);
        }
    }
}
