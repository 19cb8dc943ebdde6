package org.vlab.ipam.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.vlab.ipam.domain.LabNetwork;

class TrustedProxiesTests {

    private final TrustedProxies proxies = new TrustedProxies(List.of(LabNetwork.of("10.0.0.0/8")));

    @Test
    void writesAddressLiteralsCanonicallyAndNeverResolvesNames() {
        assertThat(TrustedProxies.canonical(" 203.0.113.9 ")).isEqualTo("203.0.113.9");
        assertThat(TrustedProxies.canonical("::1")).isEqualTo(TrustedProxies.canonical("0:0:0:0:0:0:0:1"));
        assertThat(TrustedProxies.canonical("[2001:db8::1]")).isEqualTo(TrustedProxies.canonical("2001:DB8:0::1"));
        assertThat(TrustedProxies.canonical("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(TrustedProxies.canonical("localhost")).isNull();
        assertThat(TrustedProxies.canonical("010.1.1.1")).isNull();
        assertThat(TrustedProxies.canonical("203.0.113.9:4000")).isNull();
        assertThat(TrustedProxies.canonical(null)).isNull();
    }

    @Test
    void believesForwardedForOnlyFromATrustedPeer() {
        assertThat(proxies.clientAddress(request("10.9.9.9", "1.1.1.1, 203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(proxies.clientAddress(request("10.9.9.9", "garbage"))).isNull();
        assertThat(proxies.clientAddress(request("10.9.9.9"))).isEqualTo("10.9.9.9");
        assertThat(proxies.clientAddress(request("11.0.0.1", "203.0.113.9"))).isEqualTo("11.0.0.1");
        assertThat(proxies.clientAddress(MockServerHttpRequest.get("/").build())).isNull();
    }

    private static MockServerHttpRequest request(String remote, String... forwardedFor) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/")
                .remoteAddress(new InetSocketAddress(remote, 1234));
        for (String header : forwardedFor) {
            request.header(TrustedProxies.FORWARDED_FOR, header);
        }
        return request.build();
    }
}
