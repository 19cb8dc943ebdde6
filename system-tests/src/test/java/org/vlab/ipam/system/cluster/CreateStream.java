package org.vlab.ipam.system.cluster;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of creates, about ten a second, from four clients that do what a 503 asks: try
 * again (after 200 ms) with the same {@code Idempotency-Key}. A fault is injected once a given
 * number were sent, so the stream goes on for seconds after it, longer than a failover takes; the
 * stream tells every create's final answer, how many 503 were retried and when the last came.
 */
final class CreateStream {

    private static final Duration RETRY_AFTER = Duration.ofMillis(200);
    /** Each client's pause between two creates. */
    private static final Duration PACE = Duration.ofMillis(400);

    /**
     * What the stream saw: the final answers in create order, how many came after the fault, the
     * 503 retried, and the last 503's and the last answer's delay after the fault.
     */
    record Outcome(List<PortMapClient.Created> answers, int answeredAfterFault, int unavailable,
            Duration lastUnavailableAfterFault, Duration lastAnswerAfterFault) {
    }

    private final PortMapClient api;
    private final String keyPrefix;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicLong lastUnavailable = new AtomicLong();
    private final AtomicLong lastAnswer = new AtomicLong();
    private final AtomicLong faultAt = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger answeredAfterFault = new AtomicInteger();

    CreateStream(PortMapClient api, String keyPrefix) {
        this.api = api;
        this.keyPrefix = keyPrefix;
    }

    /** Sends {@code creates}, runs {@code fault} once {@code faultAfter} were sent, and waits for every final answer. */
    Outcome run(int creates, int faultAfter, Runnable fault) {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<PortMapClient.Created>> answers = new ArrayList<>();
            for (int i = 0; i < creates; i++) {
                int create = i;
                answers.add(clients.submit(() -> createUntilAnswered(create)));
            }
            await("creates sent before the fault").atMost(Duration.ofMinutes(2)).until(() -> sent.get() >= faultAfter);
            faultAt.set(System.nanoTime());
            fault.run();
            List<PortMapClient.Created> results = new ArrayList<>();
            for (Future<PortMapClient.Created> answer : answers) {
                results.add(answer.get(5, TimeUnit.MINUTES));
            }
            return new Outcome(results, answeredAfterFault.get(), unavailable.get(), sinceFault(lastUnavailable.get()),
                    sinceFault(lastAnswer.get()));
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a create never got an answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            clients.shutdownNow();
        }
    }

    private Duration sinceFault(long nanoTime) {
        return Duration.ofNanos(Math.max(0, nanoTime - faultAt.get()));
    }

    private PortMapClient.Created createUntilAnswered(int i) {
        LockSupport.parkNanos(PACE.toNanos());
        sent.incrementAndGet();
        while (!Thread.currentThread().isInterrupted()) {
            PortMapClient.Created answer = api.create(i, keyPrefix + i);
            if (answer.status() != 503) {
                long now = System.nanoTime();
                lastAnswer.accumulateAndGet(now, Math::max);
                if (now > faultAt.get()) {
                    answeredAfterFault.incrementAndGet();
                }
                return answer;
            }
            unavailable.incrementAndGet();
            lastUnavailable.set(System.nanoTime());
            LockSupport.parkNanos(RETRY_AFTER.toNanos());
        }
        throw new IllegalStateException("create " + i + " given up: the stream was stopped");
    }
}
