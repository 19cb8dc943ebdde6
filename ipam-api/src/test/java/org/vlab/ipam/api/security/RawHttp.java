package org.vlab.ipam.api.security;

import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Sends {@link HostileRequest}s byte for byte with Reactor Netty: no content type, encoding or
 * path normalisation is added. Requests come from 127.0.0.1, or from {@link #TRUSTED_PROXY}
 * (another loopback address) when the request says it comes through the trusted proxy.
 */
final class RawHttp {

    /** The address {@code ipam.auth.trusted-proxies} names in the suite's configuration. */
    static final String TRUSTED_PROXY = "127.0.0.2";

    /** The status, body and content type the API answered. */
    record Reply(int status, byte[] body, String contentType) {
    }

    private final HttpClient direct;
    private final HttpClient throughProxy;

    RawHttp(int port) {
        HttpClient base = HttpClient.create().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30));
        this.direct = base.bindAddress(() -> new InetSocketAddress("127.0.0.1", 0));
        this.throughProxy = base.bindAddress(() -> new InetSocketAddress(TRUSTED_PROXY, 0));
    }

    Reply send(HostileRequest request) {
        HttpClient client = (request.viaTrustedProxy() ? throughProxy : direct).headers(headers -> {
            request.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
        });
        var sender = client.request(io.netty.handler.codec.http.HttpMethod.valueOf(request.method())).uri(request.path());
        var withBody = request.body() == null ? sender
                : sender.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(request.body())));
        Reply reply = withBody.responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0])
                .map(bytes -> new Reply(response.status().code(), bytes, response.responseHeaders().get("Content-Type"))))
                .block(Duration.ofSeconds(40));
        if (reply == null) {
            throw new IllegalStateException("no answer to " + request);
        }
        return reply;
    }
}
