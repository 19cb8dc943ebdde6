package org.vlab.ipam.api.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Whether RabbitMQ can be reached, answered within {@link #TIMEOUT}. While the factory's
 * connection is open the answer is yes at once: asking the factory would return that same
 * connection without any I/O, after a thread hop and a timer that cost every create and
 * healthcheck about as much as the rest of its broker work. Otherwise opening a connection
 * blocks a thread (bounded by {@code spring.rabbitmq.connection-timeout}), and the connection
 * factory lets one caller connect at a time, so concurrent callers share the one check in
 * flight instead of queueing a thread each behind it.
 */
@Component
public class BrokerProbe {

    /**
     * How long a caller waits for the answer; a host that drops packets costs no more. Below the
     * 2 s connect timeout, so an answer (with its own overhead) leaves within about 2 s.
     */
    public static final Duration TIMEOUT = Duration.ofMillis(1500);

    /** Where the blocking connect runs; the single flight keeps it to one thread at a time. */
    private static final Executor CONNECTING = runnable -> Schedulers.boundedElastic().schedule(runnable);

    private final ConnectionFactory rabbit;
    private final AtomicReference<CompletableFuture<Boolean>> inFlight = new AtomicReference<>();
    /** The factory's newest connection; the client library marks it closed once the broker is gone. */
    private volatile Connection newest;

    BrokerProbe(ConnectionFactory rabbit) {
        this.rabbit = rabbit;
        rabbit.addConnectionListener(connection -> newest = connection);
    }

    /** True when a connection is open or could be opened; false on failure or after {@link #TIMEOUT}. */
    public Mono<Boolean> reachable() {
        Connection connection = newest;
        if (connection != null && connection.isOpen()) {
            return Mono.just(true);
        }
        return Mono.fromFuture(this::check, true).timeout(TIMEOUT, Mono.just(false));
    }

    /** The check in flight, or a new one; it finishes even when its callers stop waiting. */
    private CompletableFuture<Boolean> check() {
        while (true) {
            CompletableFuture<Boolean> current = inFlight.get();
            if (current != null) {
                return current;
            }
            CompletableFuture<Boolean> started = new CompletableFuture<>();
            if (inFlight.compareAndSet(null, started)) {
                CompletableFuture.supplyAsync(this::connect, CONNECTING)
                        .whenComplete((up, failure) -> {
                            inFlight.compareAndSet(started, null);
                            started.complete(failure == null && up);
                        });
                return started;
            }
        }
    }

    private boolean connect() {
        try {
            rabbit.createConnection().close();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
