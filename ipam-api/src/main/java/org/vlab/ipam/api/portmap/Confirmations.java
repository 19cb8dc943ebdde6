package org.vlab.ipam.api.portmap;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import org.vlab.ipam.api.redis.Keyspace;
import org.vlab.ipam.domain.ConnPort;
import org.vlab.ipam.domain.GatewayId;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

/**
 * Lets a request wait for the agent's answer whichever replica consumed it: the replica that
 * records a confirmation in Redis announces it on a pub/sub channel, and every replica
 * completes its own waiters. A lost announcement only costs the waiter its wait: it reads
 * Redis once more when the time is up.
 */
@Component
class Confirmations implements SmartLifecycle {

    /**
     * After Redis' connection factory (phase 0) starts and before it stops; before the web
     * server starts and after its graceful shutdown, so requests still draining get their answers.
     */
    static final int PHASE = 1000;

    private static final Logger log = LoggerFactory.getLogger(Confirmations.class);

    /** What became of a mapping: the script's result and, for a failure, the agent's reason. */
    record Confirmation(String result, long generation, String reason) {
    }

    private record Waiter(long generation, Sinks.One<Confirmation> sink) {
    }

    private final ReactiveRedisConnectionFactory connectionFactory;
    private final String channel;
    private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
    private ReactiveRedisMessageListenerContainer container;
    private volatile Disposable subscription;

    Confirmations(ReactiveRedisConnectionFactory connectionFactory, Keyspace keyspace) {
        this.connectionFactory = connectionFactory;
        this.channel = keyspace.changes();
    }

    /**
     * The listener container, created on first use: its constructor connects to Redis, and the
     * API must start (and answer 503) while Redis is down, subscribing once Redis is back.
     */
    private synchronized ReactiveRedisMessageListenerContainer container() {
        if (container == null) {
            container = new ReactiveRedisMessageListenerContainer(connectionFactory);
        }
        return container;
    }

    /** Drops a container whose subscription failed, so the next attempt starts on a fresh connection. */
    private synchronized void discard(ReactiveRedisMessageListenerContainer failed) {
        if (container == failed) {
            container = null;
            failed.destroyLater().onErrorComplete().subscribe();
        }
    }

    /**
     * Subscribes to the announcements. A lifecycle (not a start-up event) so that a stop and
     * restart of the context, which closes Redis connections, ends with a fresh subscription.
     */
    @Override
    public synchronized void start() {
        if (subscription != null) {
            return;
        }
        subscription = Flux.defer(() -> {
                    ReactiveRedisMessageListenerContainer listening = container();
                    return listening.receive(ChannelTopic.of(channel)).doOnError(failure -> discard(listening));
                })
                .doOnNext(message -> announce(message.getMessage()))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(15))
                        .doBeforeRetry(signal -> log.warn("Redis subscription to {} lost ({}); resubscribing",
                                channel, signal.failure().toString())))
                .subscribe();
    }

    /** One request's interest in a mapping's answer; {@link #cancel()} when done with it. */
    final class Waiting {
        private final String key;
        private final Waiter waiter;

        private Waiting(String key, Waiter waiter) {
            this.key = key;
            this.waiter = waiter;
        }

        /** The answer, or a {@link java.util.concurrent.TimeoutException} when none came within {@code timeout}. */
        Mono<Confirmation> answer(Duration timeout) {
            return waiter.sink().asMono().timeout(timeout);
        }

        void cancel() {
            waiters.computeIfPresent(key, (k, set) -> {
                set.remove(waiter);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Registers interest before the command is published, so no answer can slip past. */
    Waiting register(GatewayId gateway, ConnPort port, long generation) {
        String key = key(gateway.value(), port.value());
        Waiter waiter = new Waiter(generation, Sinks.one());
        waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(waiter);
        return new Waiting(key, waiter);
    }

    int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }

    /** Format: {@code <gateway> <port> <generation> <result> <reason...>} (see portmap-confirm.lua). */
    void announce(String message) {
        String[] parts = message.split(" ", 5);
        if (parts.length < 4) {
            log.warn("ignoring malformed change announcement: {}", message);
            return;
        }
        long generation;
        int port;
        try {
            generation = Long.parseLong(parts[2]);
            port = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            log.warn("ignoring malformed change announcement: {}", message);
            return;
        }
        deliver(key(parts[0], port), new Confirmation(parts[3], generation, parts.length == 5 ? parts[4] : ""));
    }

    /**
     * What this replica's events listener just recorded ({@code result} of portmap-confirm.lua):
     * its own waiters get the answer at once instead of after the announcement's trip through
     * Redis pub/sub, which still reaches the other replicas (and finds these waiters done).
     */
    void recorded(GatewayId gateway, ConnPort port, long generation, String result, String reason) {
        if (!"ignored".equals(result)) {
            deliver(key(gateway.value(), port.value()), new Confirmation(result, generation, reason == null ? "" : reason));
        }
    }

    private void deliver(String key, Confirmation confirmation) {
        Set<Waiter> interested = waiters.get(key);
        if (interested == null) {
            return;
        }
        long generation = confirmation.generation();
        for (Waiter waiter : interested) {
            boolean matches = "removed".equals(confirmation.result()) ? generation >= waiter.generation()
                    : generation == waiter.generation();
            if (matches) {
                waiter.sink().tryEmitValue(confirmation);
            }
        }
    }

    private static String key(String gateway, int port) {
        return gateway + " " + port;
    }

    @Override
    public synchronized void stop() {
        if (subscription != null) {
            subscription.dispose();
            subscription = null;
        }
        if (container != null) {
            container.destroyLater().onErrorComplete().subscribe();
            container = null;
        }
    }

    @Override
    public boolean isRunning() {
        return subscription != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
