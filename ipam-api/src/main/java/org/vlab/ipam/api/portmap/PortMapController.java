package org.vlab.ipam.api.portmap;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.vlab.ipam.api.auth.Caller;
import org.vlab.ipam.api.auth.Tenancy;
import org.vlab.ipam.api.web.Envelope;
import org.vlab.ipam.api.web.QueryParams;
import org.vlab.ipam.api.web.RequestIds;
import org.vlab.ipam.domain.GatewayId;
import org.vlab.ipam.events.PortMapTarget;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** {@code /api/1/ipam/portmap}: list, create and delete the caller's port maps (api-v1.md), and renew a lease. */
@RestController
@RequestMapping(path = "/api/1/ipam/portmap", produces = MediaType.APPLICATION_JSON_VALUE)
class PortMapController {

    private final PortMapService service;
    private final PortMapQuery query;
    private final Tenancy tenancy;

    PortMapController(PortMapService service, PortMapQuery query, Tenancy tenancy) {
        this.service = service;
        this.query = query;
        this.tenancy = tenancy;
    }

    @GetMapping
    Mono<Envelope> list(Caller caller, ServerWebExchange exchange) {
        Map<String, String> params = QueryParams.of(exchange);
        GatewayId gateway = tenancy.gatewayFor(caller, params.get("gateway"));
        GatewayReads.Filter filter = new GatewayReads.Filter(PortMapRequests.queryPort("conn_port", params.get("conn_port")),
                params.get("name"), params.get("target_addr"), params.get("component"),
                PortMapRequests.queryPort("target_port", params.get("target_port")));
        return query.list(gateway, filter).map(content -> Envelope.ok(content, params));
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Envelope>> create(Caller caller, @RequestBody(required = false) JsonNode body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            ServerWebExchange exchange) {
        Map<String, String> params = QueryParams.of(exchange);
        GatewayId gateway = tenancy.gatewayFor(caller, params.get("gateway"));
        PortMapTarget target = PortMapRequests.createBody(body);
        LeaseTerm lease = PortMapRequests.leaseOf(body);
        return service.create(gateway, target, lease, PortMapRequests.idempotency(idempotencyKey, target, lease),
                        RequestIds.of(exchange))
                .map(answer -> respond(answer, params));
    }

    /** Extends a mapping's lease (docs/api-extensions.md): the caller's gateway as for DELETE. */
    @PostMapping(path = "/renew", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Envelope>> renew(Caller caller, @RequestBody(required = false) JsonNode body,
            ServerWebExchange exchange) {
        Map<String, String> params = QueryParams.of(exchange);
        GatewayId gateway = tenancy.gatewayFor(caller, params.get("gateway"));
        return service.renew(gateway, PortMapRequests.renewBody(body)).map(answer -> respond(answer, params));
    }

    @DeleteMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Envelope>> delete(Caller caller, @RequestBody(required = false) JsonNode body,
            ServerWebExchange exchange) {
        Map<String, String> params = QueryParams.of(exchange);
        GatewayId gateway = tenancy.gatewayFor(caller, params.get("gateway"));
        return service.remove(gateway, PortMapRequests.deleteBody(body), RequestIds.of(exchange))
                .map(answer -> respond(answer, params));
    }

    private static ResponseEntity<Envelope> respond(PortMapAnswer answer, Map<String, String> params) {
        Map<String, Object> content = new LinkedHashMap<>(answer.content());
        return ResponseEntity.status(answer.status()).body(new Envelope(answer.error(), content, params));
    }
}
