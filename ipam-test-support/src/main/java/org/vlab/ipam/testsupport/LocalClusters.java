package org.vlab.ipam.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of 3 masters and 3 replicas, a Redis master and replica watched by 3
 * sentinels, and a 3-node RabbitMQ cluster on loopback, from
 * Debian's packages, started once per test JVM by the repository's {@code .ci/clusters} and
 * removed when the JVM exits. Lets a {@link ClusterTest} kill and restart nodes.
 */
public final class LocalClusters {

    private static final List<Integer> REDIS_PORTS = List.of(7101, 7102, 7103, 7104, 7105, 7106);
    private static final int RABBIT_NODES = 3;
    private static final List<Integer> SENTINEL_PORTS = List.of(7211, 7212, 7213);
    private static final String SENTINEL_MASTER = "ipam-sentinel";

    private static LocalClusters shared;

    private final Path script;

    private LocalClusters(Path script) {
        this.script = script;
    }

    public static synchronized LocalClusters get() {
        if (shared == null) {
            LocalClusters clusters = new LocalClusters(findScript());
            clusters.run("start");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> clusters.run("stop"), "local-clusters-stop"));
            shared = clusters;
        }
        return shared;
    }

    /** {@code host:port} of every Redis Cluster node, as {@code spring.data.redis.cluster.nodes} takes them. */
    public List<String> redisNodes() {
        return REDIS_PORTS.stream().map(port -> "127.0.0.1:" + port).toList();
    }

    /** The name the sentinels know the master by, as {@code spring.data.redis.sentinel.master} takes it. */
    public String sentinelMaster() {
        return SENTINEL_MASTER;
    }

    /** {@code host:port} of the 3 sentinels, as {@code spring.data.redis.sentinel.nodes} takes them. */
    public List<String> sentinelNodes() {
        return SENTINEL_PORTS.stream().map(port -> "127.0.0.1:" + port).toList();
    }

    /** The port of the master the sentinels name now (7201 or 7202, whichever was promoted last). */
    public int sentinelMasterPort() {
        String[] address = exec("redis-cli", "-p", String.valueOf(SENTINEL_PORTS.get(0)), "sentinel",
                "get-master-addr-by-name", SENTINEL_MASTER).strip().split("\\s+");
        return Integer.parseInt(address[address.length - 1]);
    }

    /** The RabbitMQ nodes' AMQP addresses, as {@code spring.rabbitmq.addresses} takes them. */
    public String rabbitAddresses() {
        return String.join(",", IntStream.rangeClosed(1, RABBIT_NODES).mapToObj(n -> "127.0.0.1:" + amqpPort(n)).toList());
    }

    /** Node {@code n} (1–3) as a RabbitMQ endpoint with guest's rights, for vhosts and management calls. */
    public RabbitEndpoint rabbitNode(int n) {
        return new RabbitEndpoint("127.0.0.1", amqpPort(n), 15700 + n, "guest", "guest");
    }

    public String rabbitNodeName(int n) {
        return "ipam-c" + n + "@localhost";
    }

    /** Stops RabbitMQ on node {@code n} (its Erlang VM stays up, as in a rolling restart). */
    public void stopRabbitApp(int n) {
        exec("rabbitmqctl", "-q", "-n", rabbitNodeName(n), "stop_app");
    }

    public void startRabbitApp(int n) {
        exec("rabbitmqctl", "-q", "-n", rabbitNodeName(n), "start_app");
        exec("rabbitmqctl", "-q", "-n", rabbitNodeName(n), "await_startup", "--timeout", "60");
    }

    /** The port of the Redis master serving {@code key}'s slot. */
    public int redisMasterFor(String key) {
        String slot = askAnyClusterNode("cluster", "keyslot", key).strip();
        for (String line : askAnyClusterNode("cluster", "nodes").split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail")) {
                for (int i = 8; i < fields.length; i++) {
                    String[] range = fields[i].split("-");
                    int low = Integer.parseInt(range[0]);
                    int high = range.length > 1 ? Integer.parseInt(range[1]) : low;
                    int wanted = Integer.parseInt(slot);
                    if (wanted >= low && wanted <= high) {
                        return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                    }
                }
            }
        }
        throw new IllegalStateException("no live master serves slot " + slot);
    }

    /** A redis-cli command's answer from the first cluster node that answers (one may have been killed). */
    private static String askAnyClusterNode(String... command) {
        IllegalStateException failure = null;
        for (int port : REDIS_PORTS) {
            List<String> full = new ArrayList<>(List.of("redis-cli", "-p", String.valueOf(port)));
            full.addAll(List.of(command));
            try {
                String answer = exec(full.toArray(String[]::new));
                if (!answer.startsWith("Could not connect")) {
                    return answer;
                }
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        throw new IllegalStateException("no Redis Cluster node answers " + List.of(command), failure);
    }

    /** Kills the Redis node on {@code port} with SIGKILL, as a crash would. */
    public void killRedis(int port) {
        String pid = read(Path.of(System.getenv().getOrDefault("IPAM_CLUSTERS_DIR", "/var/tmp/ipam-clusters"), "redis", String.valueOf(port), "redis.pid")).strip();
        exec("kill", "-9", pid);
    }

    /**
     * Starts the Redis node on {@code port} again; it rejoins the cluster, or the sentinels' master,
     * as a replica after a failover.
     */
    public void restartRedis(int port) {
        run("start");
    }

    private void run(String action) {
        exec("bash", script.toString(), action);
    }

    private static String exec(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static int amqpPort(int n) {
        return 5700 + n;
    }

    private static Path findScript() {
        List<Path> tried = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".ci/clusters");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new IllegalStateException("the repository's .ci/clusters was not found; tried " + tried);
    }
}
