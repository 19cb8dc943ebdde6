package org.vlab.ipam.api.web;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;
import org.vlab.ipam.messaging.PublishFailedException;
import reactor.core.publisher.Mono;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place errors become responses: every failure, from a filter, a handler or the
 * framework, is written as the vLab envelope with a status and a message for the client.
 * Internal exceptions are logged with the request id and never shown.
 */
@Component
@Order(-2)
class EnvelopeExceptionHandler implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(EnvelopeExceptionHandler.class);
    /** Jackson's words when {@code STRICT_DUPLICATE_DETECTION} finds a repeated key (see WebConfiguration). */
    /** Error replies of a Redis that is starting, failing over or busy: a retry soon succeeds. */
    private static final List<String> TRANSIENT_REDIS_REPLIES = List.of("LOADING", "BUSY", "MASTERDOWN", "CLUSTERDOWN",
            "TRYAGAIN");
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate Object property \"(.{1,128})\"");

    private final JsonMapper json;
    private final int maxBodyBytes;

    EnvelopeExceptionHandler(JsonMapper json, org.vlab.ipam.api.ApiProperties properties) {
        this.json = json;
        this.maxBodyBytes = properties.maxBodyBytes();
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(failure);
        }
        ApiException answer = translate(exchange, failure);
        response.setStatusCode(answer.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        answer.headers().forEach((name, value) -> response.getHeaders().add(name, value));
        Envelope body = Envelope.failed(answer.getMessage(), answer.content(), QueryParams.of(exchange));
        DataBuffer buffer = response.bufferFactory().wrap(json.writeValueAsBytes(body));
        return response.writeWith(Mono.just(buffer));
    }

    private ApiException translate(ServerWebExchange exchange, Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (causedBy(failure, DataBufferLimitException.class)) {
            return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE,
                    "Request body is larger than " + maxBodyBytes + " bytes");
        }
        if (failure instanceof UnsupportedMediaTypeStatusException) {
            return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
        if (failure instanceof MethodNotAllowedException notAllowed) {
            return new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "Method " + notAllowed.getHttpMethod()
                    + " is not allowed on " + exchange.getRequest().getPath().value());
        }
        if (failure instanceof ServerWebInputException) {
            String duplicate = duplicateKey(failure);
            return ApiException.badRequest(duplicate == null ? "Request body is not valid JSON"
                    : "Request body is not valid JSON: key \"" + duplicate + "\" appears more than once");
        }
        if (failure instanceof ResponseStatusException status && status.getStatusCode().value() == 404) {
            return new ApiException(HttpStatus.NOT_FOUND, "No such route: " + exchange.getRequest().getPath().value());
        }
        if (failure instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
            return new ApiException(HttpStatus.valueOf(status.getStatusCode().value()),
                    status.getReason() == null ? "Bad request" : status.getReason());
        }
        if (isRedisOutage(failure)) {
            log.warn("Redis unreachable during {} {} (request {}): {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), RequestIds.of(exchange), failure.toString());
            return new ServiceUnavailableException("Redis is unreachable; nothing was changed, retry later");
        }
        if (isBrokerOutage(failure)) {
            log.warn("RabbitMQ unreachable during {} {} (request {}): {}", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), RequestIds.of(exchange), failure.toString());
            return new ServiceUnavailableException("RabbitMQ is unreachable; nothing was changed, retry later");
        }
        log.error("Request {} {} (request {}) failed", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), RequestIds.of(exchange), failure);
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error; quote request id " + RequestIds.of(exchange) + " when reporting it", null, Map.of());
    }

    /**
     * Redis cannot be reached, or says it cannot serve yet. An error reply to a command (a
     * script error, OOM, READONLY) is no outage a retry cures: it is a 500 with a request id.
     */
    static boolean isRedisOutage(Throwable failure) {
        RedisCommandExecutionException refused = cause(failure, RedisCommandExecutionException.class);
        if (refused != null) {
            String reply = refused.getMessage() == null ? "" : refused.getMessage();
            return TRANSIENT_REDIS_REPLIES.stream().anyMatch(reply::startsWith);
        }
        // A command in flight when its connection broke (its master killed) fails with the socket's
        // own IOException, untranslated; nothing else a request runs throws a bare one (RabbitMQ's
        // are AmqpExceptions, a client that went away is reactor-netty's AbortedException).
        return causedBy(failure, RedisConnectionFailureException.class) || causedBy(failure, RedisException.class)
                || failure instanceof java.io.IOException
                || (failure instanceof DataAccessException && causedBy(failure, java.io.IOException.class));
    }

    static boolean isBrokerOutage(Throwable failure) {
        if (failure instanceof PublishFailedException published) {
            return published.reason() == PublishFailedException.Reason.BROKER_UNREACHABLE
                    || published.reason() == PublishFailedException.Reason.TIMED_OUT;
        }
        return causedBy(failure, AmqpException.class);
    }

    /** The key a body repeated, as Jackson's duplicate detection names it; null for any other parse error. */
    private static String duplicateKey(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof StreamReadException read && read.getOriginalMessage() != null) {
                Matcher matcher = DUPLICATE.matcher(read.getOriginalMessage());
                return matcher.matches() ? matcher.group(1) : null;
            }
        }
        return null;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        return cause(failure, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
