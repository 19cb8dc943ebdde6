package org.vlab.ipam.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandExecutionException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Which failures of a request are a passing Redis outage (503, retry) and which are a 500. */
class RedisOutageTests {

    @Test
    void aConnectionResetUnderACommandInFlightIsAnOutage() {
        // as Netty's native transport reports it when the Redis master is killed mid-command
        assertThat(EnvelopeExceptionHandler.isRedisOutage(
                new IOException("recvAddress(..) failed with error(-104): Connection reset by peer"))).isTrue();
    }

    @Test
    void aFailingOverRedisIsAnOutageButAnErrorReplyIsNot() {
        assertThat(EnvelopeExceptionHandler.isRedisOutage(new RedisCommandExecutionException("LOADING Redis is loading"))).isTrue();
        assertThat(EnvelopeExceptionHandler.isRedisOutage(new RedisCommandExecutionException("READONLY You can't write"))).isFalse();
        assertThat(EnvelopeExceptionHandler.isRedisOutage(new IllegalStateException("a bug"))).isFalse();
    }
}
