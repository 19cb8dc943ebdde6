package org.vlab.ipam.agent.commands;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one thread that publishes answers and acknowledges commands, so that neither the sync
 * thread nor the consumer waits for the broker. Not an {@link Executor} bean itself, which
 * would replace Spring Boot's application task executor.
 */
final class AnsweringThread implements AutoCloseable {

    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "command-answers");
        thread.setDaemon(true);
        return thread;
    });

    Executor executor() {
        return executor;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
