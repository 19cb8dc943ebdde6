package org.vlab.ipam.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * One benchmarked operation, started by its index. The future completes with null when the
 * operation succeeded, or with the outcome that made it fail (such as "HTTP 202"). Closing
 * releases whatever connections the operation holds.
 */
@FunctionalInterface
public interface Operation extends AutoCloseable {

    CompletableFuture<String> start(int index);

    @Override
    default void close() {
    }
}
