package org.vlab.ipam.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.vlab.ipam.domain.GatewayId;

class BenchArgumentsTests {

    @Test
    void fleetTakesReplicasTokenAndConcurrencies() {
        BenchArguments arguments = BenchArguments.parse("fleet", "--api", "http://127.0.0.1:8080,http://127.0.0.1:8082",
                "--token", "t0ken", "--vhost", "bench-1", "--in-flight", "8,64", "--creates", "500");
        assertThat(arguments.mode()).isEqualTo(BenchArguments.Mode.FLEET);
        assertThat(arguments.apis()).containsExactly(URI.create("http://127.0.0.1:8080"),
                URI.create("http://127.0.0.1:8082"));
        assertThat(arguments.label()).isEqualTo("API, 2 replicas");
        assertThat(arguments.inFlight()).containsExactly(8, 64);
        assertThat(arguments.creates()).isEqualTo(500);
        assertThat(arguments.broker().virtualHost()).isEqualTo("bench-1");
    }

    @Test
    void defaultsAreAThousandGatewaysAt32And128InFlight() {
        BenchArguments arguments = BenchArguments.parse("broker", "--vhost", "bench-1");
        assertThat(arguments.gateways()).isEqualTo(1000);
        assertThat(arguments.inFlight()).containsExactly(32, 128);
        assertThat(arguments.warmup()).isEqualTo(400);
        assertThat(arguments.label()).isEqualTo("broker alone");
        assertThat(arguments.broker()).hasToString("guest@127.0.0.1:5672/bench-1");
    }

    @Test
    void redisNeedsNoBrokerButAPrefixAndTheApisScripts() {
        BenchArguments arguments = BenchArguments.parse("redis", "--key-prefix", "bench-1:", "--scripts", "/tmp/lua",
                "--port-max", "50100");
        assertThat(arguments.broker()).isNull();
        assertThat(arguments.redis()).isEqualTo(new BenchArguments.RedisTarget("127.0.0.1", 6379, "bench-1:",
                java.nio.file.Path.of("/tmp/lua"), 50000, 50100));
        assertThat(arguments.label()).isEqualTo("Redis alone");
        assertThatThrownBy(() -> BenchArguments.parse("redis", "--scripts", "/tmp/lua"))
                .hasMessage("--key-prefix is required");
    }

    @Test
    void refusesAnUnknownBenchmark() {
        assertThatThrownBy(() -> BenchArguments.parse("kafka"))
                .hasMessage("unknown benchmark 'kafka': fleet, broker, redis, cycles, creates, churn or healthcheck");
        assertThatThrownBy(BenchArguments::parse).hasMessageContaining("no benchmark named");
    }

    @Test
    void aRealGatewaysBenchmarksNeedTheApiAndNoBroker() {
        BenchArguments cycles = BenchArguments.parse("cycles", "--api", "http://127.0.0.1:8080", "--token", "t",
                "--gateway", "bench-few,bench-many", "--creates", "200", "--warmup", "20");
        assertThat(cycles.mode()).isEqualTo(BenchArguments.Mode.CYCLES);
        assertThat(cycles.realGateways()).extracting(GatewayId::value).containsExactly("bench-few", "bench-many");
        assertThat(cycles.broker()).isNull();
        assertThat(cycles.label()).isEqualTo("create then delete");
        BenchArguments health = BenchArguments.parse("healthcheck", "--api", "http://127.0.0.1:8080", "--in-flight", "1");
        assertThat(health.token()).isNull();
        assertThat(health.realGateways()).isEmpty();
        assertThat(health.inFlight()).containsExactly(1);
        assertThatThrownBy(() -> BenchArguments.parse("creates", "--api", "http://h:1", "--token", "t"))
                .hasMessage("--gateway is required");
    }

    @Test
    void refusesUnknownRepeatedOrValuelessOptions() {
        assertThatThrownBy(() -> BenchArguments.parse("broker", "--vhost", "v", "--speed", "9"))
                .hasMessage("unknown option '--speed'");
        assertThatThrownBy(() -> BenchArguments.parse("broker", "--vhost", "v", "--vhost", "w"))
                .hasMessage("--vhost given twice");
        assertThatThrownBy(() -> BenchArguments.parse("broker", "--vhost")).hasMessage("--vhost needs a value");
    }

    @Test
    void fleetNeedsItsReplicasAndToken() {
        assertThatThrownBy(() -> BenchArguments.parse("fleet", "--vhost", "v", "--token", "t"))
                .hasMessage("--api is required");
        assertThatThrownBy(() -> BenchArguments.parse("fleet", "--vhost", "v", "--api", "http://h:1"))
                .hasMessage("--token is required");
        assertThatThrownBy(() -> BenchArguments.parse("fleet", "--vhost", "v", "--token", "t", "--api", "h:1"))
                .hasMessage("--api: 'h:1' is not an http(s) URL");
    }

    @Test
    void refusesNumbersThatAreNotPositiveWholeNumbers() {
        assertThatThrownBy(() -> BenchArguments.parse("broker", "--vhost", "v", "--in-flight", "32,0"))
                .hasMessage("--in-flight values must be positive; got 0");
        assertThatThrownBy(() -> BenchArguments.parse("broker", "--vhost", "v", "--creates", "many"))
                .hasMessage("--creates: 'many' is not a whole number");
        assertThatThrownBy(() -> BenchArguments.parse("broker", "--vhost", "v", "--warmup", "-1"))
                .hasMessage("--warmup must not be negative; got -1");
        assertThatThrownBy(() -> BenchArguments.parse("broker", "--vhost", "v", "--rabbit-port", "70000"))
                .hasMessageContaining("1-65535");
    }

    @Test
    void churnWarmsUpUntilTheNamedProcessesCompilersSettle() {
        BenchArguments churn = BenchArguments.parse("churn", "--api", "http://127.0.0.1:8080", "--token", "t",
                "--gateway", "bench-few,bench-many", "--warmup", "2000", "--settle-pids", "41, 52",
                "--settle-percent", "15", "--warmup-rounds", "8");
        assertThat(churn.mode()).isEqualTo(BenchArguments.Mode.CHURN);
        assertThat(churn.realGateways()).extracting(GatewayId::value).containsExactly("bench-few", "bench-many");
        assertThat(churn.settlePids()).containsExactly(41L, 52L);
        assertThat(churn.settlePercent()).isEqualTo(15);
        assertThat(churn.warmupRounds()).isEqualTo(8);
        assertThat(churn.label()).isEqualTo("create then delete");
    }

    @Test
    void withoutProcessesToWatchTheWarmUpIsOneRound() {
        BenchArguments creates = BenchArguments.parse("creates", "--api", "http://127.0.0.1:8080", "--token", "t",
                "--gateway", "g1");
        assertThat(creates.settlePids()).isEmpty();
        assertThat(creates.settlePercent()).isEqualTo(10);
        assertThat(creates.warmupRounds()).isEqualTo(20);
    }

    @Test
    void refusesABadProcessIdOrPercentage() {
        String[] churn = {"churn", "--api", "http://127.0.0.1:8080", "--token", "t", "--gateway", "g1"};
        assertThatThrownBy(() -> BenchArguments.parse(with(churn, "--settle-pids", "41,api")))
                .hasMessage("--settle-pids: 'api' is not a whole number");
        assertThatThrownBy(() -> BenchArguments.parse(with(churn, "--settle-pids", "0")))
                .hasMessage("--settle-pids: '0' is not a process id");
        assertThatThrownBy(() -> BenchArguments.parse(with(churn, "--settle-percent", "150")))
                .hasMessage("--settle-percent is a percentage, at most 100; got 150");
        assertThatThrownBy(() -> BenchArguments.parse(with(churn, "--warmup-rounds", "0")))
                .hasMessage("--warmup-rounds must be positive; got 0");
    }

    private static String[] with(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
