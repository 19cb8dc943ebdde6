package org.vlab.ipam.api.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.vlab.ipam.testsupport.FreePort;

/**
 * A redis-server of a test's own on a free loopback port, for faults the shared Redis must
 * not suffer (OOM through maxmemory, READONLY through REPLICAOF, being stopped). No
 * persistence; stopped on close.
 */
public final class ScratchRedis implements AutoCloseable {

    private final int port;
    private final Process process;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private ScratchRedis(int port, Process process) {
        this.port = port;
        this.process = process;
        this.client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        this.connection = Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(client::connect, open -> open.sync().ping().equals("PONG"));
    }

    public static ScratchRedis start() {
        int port = FreePort.next();
        try {
            Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no")
                    .redirectErrorStream(true).redirectOutput(new File("target/scratch-redis-" + port + ".log")).start();
            return new ScratchRedis(port, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server (is it installed?)", e);
        }
    }

    public int port() {
        return port;
    }

    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    /** Spring properties that point a service at this server. */
    public Map<String, String> springProperties() {
        return Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", Integer.toString(port));
    }

    /** Stops the server at once, as a crash would. */
    public void kill() {
        process.destroyForcibly();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !process.isAlive());
    }


    @Override
    public void close() {
        connection.close();
        client.shutdown();
        kill();
    }
}
