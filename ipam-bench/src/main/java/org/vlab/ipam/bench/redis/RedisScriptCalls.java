package org.vlab.ipam.bench.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.vlab.ipam.bench.load.Operation;
import org.vlab.ipam.domain.GatewayId;

/**
 * The Redis calls of one REST create, made by a bare client on one connection: read the
 * gateway's record, add it to the gateway set, run the API's own create script (read from
 * the API jar, so the baseline follows the script) and then its confirm script, as the
 * agent's answer makes the API do. What the API adds on top is HTTP, auth, the broker and
 * waiting.
 */
public final class RedisScriptCalls implements Operation {

    /** The API's default {@code ipam.port-cooldown}. */
    private static final long COOLDOWN_MILLIS = 600_000;

    private final List<GatewayId> gateways;
    private final String prefix;
    private final int portMin;
    private final int portMax;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final String createSha;
    private final String confirmSha;

    public RedisScriptCalls(String host, int port, String prefix, Path scripts, List<GatewayId> gateways, int portMin,
            int portMax) {
        this.gateways = List.copyOf(gateways);
        this.prefix = prefix;
        this.portMin = portMin;
        this.portMax = portMax;
        this.client = RedisClient.create(RedisURI.create(host, port));
        this.connection = client.connect();
        this.redis = connection.async();
        this.createSha = connection.sync().scriptLoad(read(scripts.resolve("portmap-create.lua")));
        // as the API's LuaScripts does: a script's shared functions are prepended to it, in order
        this.confirmSha = connection.sync().scriptLoad(read(scripts.resolve("lib/usage-fields.lua")) + "\n"
                + read(scripts.resolve("lib/release-mapping.lua")) + "\n" + read(scripts.resolve("portmap-confirm.lua")));
    }

    private static String read(Path script) {
        try {
            return Files.readString(script);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API's script " + script, e);
        }
    }

    @Override
    public CompletableFuture<String> start(int index) {
        String gateway = gateways.get(index % gateways.size()).value();
        String base = prefix + "{" + gateway + "}:";
        String now = Instant.now().toString();
        // the keys and arguments the API's PortMapStore passes (a tcp mapping open to every
        // source, no lease, no Idempotency-Key); RedisScriptCallsTests runs them against the scripts
        String[] createKeys = {base + "generation", base + "maps", base + "free", base + "pool", base + "pending",
                base + "index", base + "idempotency-records", base + "idempotency-expiry", base + "cooling",
                base + "leases"};
        String[] createArgs = {Integer.toString(portMin), Integer.toString(portMax), "192.168.1." + (10 + index % 200),
                "22", "r" + index, "bench", now, "bench-" + index, "", "", "86400000",
                Long.toString(System.currentTimeMillis() + 15_000), "", "", "", ""};
        return redis.hgetall(base + "registry").toCompletableFuture()
                .thenCompose(record -> redis.sadd(prefix + "gateways", gateway).toCompletableFuture())
                .thenCompose(added -> redis.<List<Object>>evalsha(createSha, ScriptOutputType.MULTI, createKeys, createArgs)
                        .toCompletableFuture())
                .thenCompose(created -> {
                    if (!"created".equals(created.get(0))) {
                        return CompletableFuture.completedFuture("create answered " + created.get(0));
                    }
                    String port = created.get(1).toString();
                    String generation = created.get(2).toString();
                    return redis.<String>evalsha(confirmSha, ScriptOutputType.VALUE,
                                    new String[] {base + "maps", base + "free", base + "pool", base + "pending",
                                            base + "index", base + "idempotency-records", base + "cooling",
                                            base + "leases", base + "usage"},
                                    port, generation, "applied", "", "", now, gateway, prefix + "changes",
                                    Long.toString(COOLDOWN_MILLIS))
                            .toCompletableFuture()
                            .thenApply(state -> "applied".equals(state) ? null : "confirm answered " + state);
                });
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
