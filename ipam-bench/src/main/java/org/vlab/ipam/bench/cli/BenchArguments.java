package org.vlab.ipam.bench.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vlab.ipam.bench.fleet.BrokerAddress;
import org.vlab.ipam.domain.GatewayId;

/**
 * A benchmark invocation: {@code fleet} (REST creates through the API replicas, the fleet
 * answering), {@code broker} (the same message round trip without the API), {@code redis}
 * (the API's Redis calls of a create, without the API), or against one real gateway's agent:
 * {@code cycles} (create then delete, one at a time), {@code creates} (creates kept, a number
 * in flight), {@code churn} (create then delete, a number in flight) and {@code healthcheck}
 * (the API's healthcheck, the floor of a request); with {@code --name value} options. With
 * {@code --settle-pids}, the warm-up repeats (up to {@code --warmup-rounds} rounds of
 * {@code --warmup}) until those processes' JIT compilers used under {@code --settle-percent}
 * of their CPU in a round. Anything unknown or malformed is refused with a message
 * naming the option.
 */
record BenchArguments(Mode mode, List<URI> apis, String token, String label, List<Integer> inFlight, int creates,
        int warmup, int gateways, int channels, BrokerAddress broker, RedisTarget redis, long timeoutSeconds,
        List<GatewayId> realGateways, List<Long> settlePids, int settlePercent, int warmupRounds) {

    enum Mode {
        FLEET, BROKER, REDIS, CYCLES, CREATES, CHURN, HEALTHCHECK;

        boolean rest() {
            return this != BROKER && this != REDIS;
        }

        /** Against one real gateway, whose agent answers: no simulated fleet, no broker of its own. */
        boolean realGateway() {
            return this == CYCLES || this == CREATES || this == CHURN || this == HEALTHCHECK;
        }
    }

    /** The Redis a {@code redis} run calls, under its own key prefix, with the API's scripts from {@code scripts}. */
    record RedisTarget(String host, int port, String keyPrefix, Path scripts, int portMin, int portMax) {
    }

    static final String USAGE = """
            usage: ipam-bench fleet --api URL[,URL...] --token TOKEN --vhost VHOST [options]
                   ipam-bench broker --vhost VHOST [options]
                   ipam-bench cycles|creates|churn --api URL --token TOKEN --gateway ID[,ID...] [options]
                   ipam-bench healthcheck --api URL [options]
                   ipam-bench redis --key-prefix PREFIX --scripts DIR [--redis-host H (127.0.0.1)]
                                    [--redis-port P (6379)] [--port-min N (50000)] [--port-max N (59999)] [options]
            options: --label TEXT, --in-flight N[,N...] (32,128), --creates N (2000), --warmup N (400),
                     --gateways N (1000), --channels N (4), --rabbit-host H (127.0.0.1), --rabbit-port P (5672),
                     --rabbit-user U (guest), --rabbit-password P (guest), --timeout SECONDS (600),
                     --settle-pids PID[,PID...], --settle-percent N (10), --warmup-rounds N (20)""";

    private static final Set<String> OPTIONS = Set.of("api", "token", "label", "in-flight", "creates", "warmup",
            "gateways", "channels", "vhost", "rabbit-host", "rabbit-port", "rabbit-user", "rabbit-password", "timeout",
            "redis-host", "redis-port", "key-prefix", "scripts", "port-min", "port-max", "gateway", "settle-pids",
            "settle-percent", "warmup-rounds");
    private static final String BENCHMARKS = "fleet, broker, redis, cycles, creates, churn or healthcheck";

    static BenchArguments parse(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no benchmark named: " + BENCHMARKS);
        }
        Mode mode = switch (args[0]) {
            case "fleet" -> Mode.FLEET;
            case "broker" -> Mode.BROKER;
            case "redis" -> Mode.REDIS;
            case "cycles" -> Mode.CYCLES;
            case "creates" -> Mode.CREATES;
            case "churn" -> Mode.CHURN;
            case "healthcheck" -> Mode.HEALTHCHECK;
            default -> throw new IllegalArgumentException("unknown benchmark '" + args[0] + "': " + BENCHMARKS);
        };
        Map<String, String> options = options(Arrays.copyOfRange(args, 1, args.length));
        List<URI> apis = mode.rest() ? uris(required(options, "api")) : List.of();
        String token = mode.rest() && mode != Mode.HEALTHCHECK ? required(options, "token") : null;
        List<GatewayId> realGateways = mode.realGateway() && mode != Mode.HEALTHCHECK
                ? gatewayIds(required(options, "gateway")) : List.of();
        BrokerAddress broker = mode == Mode.REDIS || mode.realGateway() ? null : new BrokerAddress(
                options.getOrDefault("rabbit-host", "127.0.0.1"), positive(options, "rabbit-port", 5672),
                required(options, "vhost"), options.getOrDefault("rabbit-user", "guest"),
                options.getOrDefault("rabbit-password", "guest"));
        RedisTarget redis = mode != Mode.REDIS ? null : new RedisTarget(options.getOrDefault("redis-host", "127.0.0.1"),
                positive(options, "redis-port", 6379), required(options, "key-prefix"),
                Path.of(required(options, "scripts")), positive(options, "port-min", 50000),
                positive(options, "port-max", 59999));
        String label = options.getOrDefault("label", switch (mode) {
            case FLEET -> "API, " + apis.size() + (apis.size() == 1 ? " replica" : " replicas");
            case BROKER -> "broker alone";
            case REDIS -> "Redis alone";
            case CYCLES -> "create then delete";
            case CREATES -> "creates";
            case CHURN -> "create then delete";
            case HEALTHCHECK -> "healthcheck";
        });
        return new BenchArguments(mode, apis, token, label, positives(options, "in-flight", "32,128"),
                positive(options, "creates", 2000), nonNegative(options, "warmup", 400),
                positive(options, "gateways", 1000), positive(options, "channels", 4), broker, redis,
                positive(options, "timeout", 600), realGateways, pids(options), percent(options, "settle-percent", 10),
                positive(options, "warmup-rounds", 20));
    }

    private static List<Long> pids(Map<String, String> options) {
        String text = options.get("settle-pids");
        if (text == null) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        for (String pid : text.split(",")) {
            int value = parseInt("settle-pids", pid.trim());
            if (value < 1) {
                throw new IllegalArgumentException("--settle-pids: '" + pid + "' is not a process id");
            }
            pids.add((long) value);
        }
        return List.copyOf(pids);
    }

    private static List<GatewayId> gatewayIds(String commaSeparated) {
        List<GatewayId> ids = new ArrayList<>();
        for (String text : commaSeparated.split(",")) {
            try {
                ids.add(GatewayId.of(text.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--gateway: " + e.getMessage(), e);
            }
        }
        return List.copyOf(ids);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || !OPTIONS.contains(name.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + name + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            if (options.put(name.substring(2), args[i + 1]) != null) {
                throw new IllegalArgumentException(name + " given twice");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static List<URI> uris(String commaSeparated) {
        List<URI> uris = new ArrayList<>();
        for (String text : commaSeparated.split(",")) {
            URI uri;
            try {
                uri = URI.create(text.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--api: '" + text + "' is not a URL", e);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("--api: '" + text + "' is not an http(s) URL");
            }
            uris.add(uri);
        }
        return List.copyOf(uris);
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        int value = number(options, name, fallback);
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be positive; got " + value);
        }
        return value;
    }

    private static int percent(Map<String, String> options, String name, int fallback) {
        int value = positive(options, name, fallback);
        if (value > 100) {
            throw new IllegalArgumentException("--" + name + " is a percentage, at most 100; got " + value);
        }
        return value;
    }

    private static int nonNegative(Map<String, String> options, String name, int fallback) {
        int value = number(options, name, fallback);
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative; got " + value);
        }
        return value;
    }

    private static int number(Map<String, String> options, String name, int fallback) {
        String text = options.get(name);
        return text == null ? fallback : parseInt(name, text);
    }

    private static List<Integer> positives(Map<String, String> options, String name, String fallback) {
        List<Integer> values = new ArrayList<>();
        for (String text : options.getOrDefault(name, fallback).split(",")) {
            int value = parseInt(name, text.trim());
            if (value < 1) {
                throw new IllegalArgumentException("--" + name + " values must be positive; got " + value);
            }
            values.add(value);
        }
        return List.copyOf(values);
    }

    private static int parseInt(String name, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": '" + text + "' is not a whole number", e);
        }
    }
}
