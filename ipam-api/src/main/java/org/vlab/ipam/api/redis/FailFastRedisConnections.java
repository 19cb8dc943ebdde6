package org.vlab.ipam.api.redis;

import io.lettuce.core.ClientOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Schedulers;

/**
 * The reactive Redis connections requests use. Spring's Lettuce factory opens its shared
 * connection on the calling thread (a Netty event loop) and one caller at a time, so against a
 * host that drops packets every request would queue behind a blocking connect. This factory
 * connects once at start and then only in the background, and until connected fails at once
 * as unreachable (503). Once connected, Lettuce reconnects by itself and rejects commands while
 * disconnected instead of queueing them.
 */
@Primary
@Component
public class FailFastRedisConnections implements ReactiveRedisConnectionFactory, SmartLifecycle {

    /** After Lettuce's factory starts (phase 0 and below), before the pub/sub listener (1000). */
    static final int PHASE = 500;

    private static final Logger log = LoggerFactory.getLogger(FailFastRedisConnections.class);

    private final LettuceConnectionFactory lettuce;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean connected;
    private volatile boolean running;

    FailFastRedisConnections(LettuceConnectionFactory lettuce) {
        this.lettuce = lettuce;
    }

    /** While disconnected, commands fail at once rather than waiting for a reconnect. */
    @Bean
    static LettuceClientOptionsBuilderCustomizer rejectCommandsWhileDisconnected() {
        return builder -> builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    @Override
    public ReactiveRedisConnection getReactiveConnection() {
        requireConnected();
        return lettuce.getReactiveConnection();
    }

    @Override
    public ReactiveRedisClusterConnection getReactiveClusterConnection() {
        requireConnected();
        return lettuce.getReactiveClusterConnection();
    }

    @Override
    public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
        return lettuce.translateExceptionIfPossible(ex);
    }

    private void requireConnected() {
        if (!connected) {
            Schedulers.boundedElastic().schedule(this::connect);
            throw new RedisConnectionFailureException("Redis is not connected; connecting in the background");
        }
    }

    /** Opens Lettuce's shared connection (blocking, at most the connect timeout); one attempt at a time. */
    private void connect() {
        if (!running || !connecting.compareAndSet(false, true)) {
            return;
        }
        try {
            ReactiveRedisConnection opened = lettuce.getReactiveConnection();
            opened.close();
            connected = true;
        } catch (RuntimeException e) {
            log.warn("Redis is unreachable: {}", e.toString());
        } finally {
            connecting.set(false);
        }
    }

    @Override
    public void start() {
        running = true;
        connect();
    }

    @Override
    public void stop() {
        running = false;
        connected = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
