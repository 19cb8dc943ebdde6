package org.vlab.ipam.api.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read as UTF-8 text, at most {@code maxBytes} long: a longer answer (declared
 * or streamed) is cut off and fails with {@link TooLarge}, so whoever answers cannot make the
 * API buffer without limit.
 */
final class BoundedBody implements BodySubscriber<String> {

    private final int maxBytes;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private BoundedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    static BodyHandler<String> handler(int maxBytes) {
        return response -> {
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            BoundedBody subscriber = new BoundedBody(maxBytes);
            if (declared > maxBytes) {
                subscriber.body.completeExceptionally(new TooLarge(maxBytes));
            }
            return subscriber;
        };
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (body.isDone()) {
            subscription.cancel();
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + buffer.remaining() > maxBytes) {
                subscription.cancel();
                body.completeExceptionally(new TooLarge(maxBytes));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable failure) {
        body.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    /** The answer was longer than allowed. */
    static final class TooLarge extends IOException {

        private static final long serialVersionUID = 1L;

        TooLarge(int maxBytes) {
            super("the answer is larger than " + maxBytes + " bytes");
        }
    }
}
