package org.vlab.ipam.api.web;

import org.springframework.http.HttpStatus;

/**
 * Redis or RabbitMQ cannot be reached: a passing outage that vLab clients retry with
 * back-off, so it answers 503 (never 500) after whatever was written has been undone.
 */
public final class ServiceUnavailableException extends ApiException {

    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(String message) {
        super(HttpStatus.SERVICE_UNAVAILABLE, message);
    }
}
