package org.vlab.ipam.api.addr;

import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.vlab.ipam.api.auth.Caller;
import org.vlab.ipam.api.auth.Tenancy;
import org.vlab.ipam.api.web.ApiException;
import org.vlab.ipam.api.web.Envelope;
import org.vlab.ipam.api.web.QueryParams;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.domain.Ipv4Address;
import reactor.core.publisher.Mono;

/** {@code GET /api/1/ipam/addr}: the caller's address records, one per machine name, with reachability. */
@RestController
class AddrController {

    private final AddressBook addresses;
    private final Tenancy tenancy;

    AddrController(AddressBook addresses, Tenancy tenancy) {
        this.addresses = addresses;
        this.tenancy = tenancy;
    }

    @GetMapping(path = "/api/1/ipam/addr", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Envelope> lookUp(Caller caller, ServerWebExchange exchange) {
        Map<String, String> params = QueryParams.of(exchange);
        GatewayId gateway = tenancy.gatewayFor(caller, params.get("gateway"));
        String name = params.get("name");
        String addr = params.get("addr");
        String component = params.get("component");
        long given = java.util.stream.Stream.of(name, addr, component).filter(java.util.Objects::nonNull).count();
        if (given > 1 || (addr != null && !isIpv4(addr))) {
            throw ApiException.badRequest("Params are mutually exclusive. Supplied: name=" + orNone(name) + ", addr="
                    + orNone(addr) + ", component=" + orNone(component));
        }
        return addresses.lookUp(gateway, new AddressBook.Filter(name, addr, component))
                .map(content -> Envelope.ok(content, params));
    }

    private static boolean isIpv4(String text) {
        try {
            Ipv4Address.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The old vLab service was written in Python; its message printed a missing value as None. */
    private static String orNone(String value) {
        return value == null ? "None" : value;
    }
}
