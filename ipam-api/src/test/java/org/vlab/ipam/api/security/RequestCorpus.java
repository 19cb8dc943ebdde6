package org.vlab.ipam.api.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hostile requests around a valid body: content types other than JSON, paths that try to
 * slip past authentication, another tenant's gateway and mapping, and hostile query
 * parameters. Every one must be refused with a 4xx.
 */
final class RequestCorpus {

    private final String owner;
    private final String attacker;
    private final String operator;
    private final String expired;
    private final String victim;
    private final int victimPort;
    private final List<HostileRequest> cases = new ArrayList<>();

    /**
     * @param owner a valid token of the victim gateway's owner
     * @param attacker a valid token of another tenant
     * @param operator a valid token of an operator
     * @param expired the owner's token, expired
     */
    private RequestCorpus(String owner, String attacker, String operator, String expired, String victim, int victimPort) {
        this.owner = owner;
        this.attacker = attacker;
        this.operator = operator;
        this.expired = expired;
        this.victim = victim;
        this.victimPort = victimPort;
    }

    static List<HostileRequest> cases(String owner, String attacker, String operator, String expired, String victim,
            int victimPort) {
        RequestCorpus corpus = new RequestCorpus(owner, attacker, operator, expired, victim, victimPort);
        corpus.wrongContentTypes();
        corpus.pathTricks();
        corpus.otherTenant();
        corpus.operator();
        corpus.queryParameters();
        return List.copyOf(corpus.cases);
    }

    private void wrongContentTypes() {
        List<String> types = List.of("text/plain", "text/html", "application/xml", "text/xml",
                "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
                "application/merge-patch+json", "application/json-patch+json", "application/vnd.api+json",
                "application/json-seq", "application/x-ndjson", "text/json", "application/*", "*/*", "application",
                "json", "application/json/extra", "garbage;;;", "application/json; charset=no-such-charset", "application/json; charset=\"", "text/plain, application/json");
        byte[] body = Bodies.valid().getBytes(StandardCharsets.UTF_8);
        byte[] deleteBody = ("{\"conn_port\":" + victimPort + "}").getBytes(StandardCharsets.UTF_8);
        for (String type : types) {
            cases.add(new HostileRequest(Category.WRONG_CONTENT_TYPES, "Content-Type " + type, "POST",
                    HostileRequest.PORTMAP, HostileRequest.auth(owner, Map.entry("Content-Type", type)), body, 0, false, false));
            cases.add(new HostileRequest(Category.WRONG_CONTENT_TYPES, "DELETE Content-Type " + type, "DELETE",
                    HostileRequest.PORTMAP, HostileRequest.auth(owner, Map.entry("Content-Type", type)), deleteBody, 0,
                    false, false));
        }
        cases.add(new HostileRequest(Category.WRONG_CONTENT_TYPES, "no Content-Type", "POST", HostileRequest.PORTMAP,
                HostileRequest.auth(owner), body, 0, false, false));
        cases.add(new HostileRequest(Category.WRONG_CONTENT_TYPES, "no Content-Type", "DELETE", HostileRequest.PORTMAP,
                HostileRequest.auth(owner), deleteBody, 0, false, false));
        cases.add(new HostileRequest(Category.WRONG_CONTENT_TYPES, "text/plain, then application/json", "POST",
                HostileRequest.PORTMAP, HostileRequest.auth(owner, Map.entry("Content-Type", "text/plain"),
                        Map.entry("Content-Type", HostileRequest.JSON)), body, 0, false, false));
    }

    private void pathTricks() {
        List<String> paths = List.of("/api/1/ipam/portmap", "/api/1/ipam/portmap/", "//api/1/ipam/portmap",
                "/api/1/ipam//portmap", "/api/1//ipam/portmap", "/api/1/ipam/./portmap", "/api/1/ipam/x/../portmap",
                "/api/1/ipam/healthcheck/../portmap", "/api/1/ipam/healthcheck/..%2fportmap",
                "/api/1/ipam/healthcheck%2f..%2fportmap", "/api/1/ipam/%2e%2e/ipam/portmap", "/api/1/ipam;x=1/portmap",
                "/api/1/ipam/portmap;jsessionid=x", "/api/1/ipam/portmap;describe=true", "/api/1/ipam/portmap?describe=false",
                "/api/1/ipam/portmap?describe=tru", "/api/1/ipam/portmap?describe", "/API/1/IPAM/PORTMAP",
                "/api/1/ipam/Portmap", "/api/1/ipam/portmap%00", "/api/1/ipam/portmap%20", "/api/1/ipam/%70ortmap",
                "/%61pi/1/ipam/portmap", "/api/1/ipam/portmap.json", "/api/1/ipam/portmap/..;/portmap",
                "/api/1/ipam/healthcheck;/../portmap", "/api/2/ipam/portmap", "/api/1/ipam/../../api/1/ipam/portmap",
                "/actuator/../api/1/ipam/portmap", "/api/1/ipam/portmap%23", "/api/1/ipam/portmap%3fgateway=x",
                "/api/1/ipam/portmap%2f", "/api/1/ipam/addr/..%2fportmap");
        byte[] body = Bodies.valid().getBytes(StandardCharsets.UTF_8);
        for (String path : paths) {
            for (String token : new String[] {null, expired}) {
                cases.add(new HostileRequest(Category.PATH_TRICKS, (token == null ? "no token " : "expired token ") + path,
                        "POST", path, HostileRequest.auth(token, Map.entry("Content-Type", HostileRequest.JSON)), body, 0,
                        false, false));
            }
        }
        // No URI at all (bad percent-encoding, raw braces): Reactor Netty refuses these itself.
        for (String path : List.of("/api/1/ipam/portmap%zz", "/api/1/ipam/port%map", "/api/1/ipam/portmap?gateway={x}",
                "/api/1/ipam/portmap?gateway=" + victim + "}")) {
            cases.add(HostileRequest.post(Category.PATH_TRICKS, "no URI " + path, null, Bodies.valid()).at(path)
                    .refusedByTheHttpLayer(400));
        }
        for (String method : List.of("PUT", "PATCH", "TRACE", "PROPFIND")) {
            cases.add(new HostileRequest(Category.PATH_TRICKS, "method " + method, method, HostileRequest.PORTMAP,
                    HostileRequest.auth(owner, Map.entry("Content-Type", HostileRequest.JSON)), body, 0, false, false));
        }
        for (String method : List.of("OPTIONS", "GET", "DELETE")) {
            cases.add(new HostileRequest(Category.PATH_TRICKS, "method " + method + " without token", method,
                    HostileRequest.PORTMAP, HostileRequest.auth(null), null, 401, false, false));
        }
        cases.add(HostileRequest.post(Category.PATH_TRICKS, "X-HTTP-Method-Override: DELETE without token", null,
                "{\"conn_port\":" + victimPort + "}").withHeader("X-HTTP-Method-Override", "DELETE"));
    }

    private void otherTenant() {
        String body = Bodies.valid();
        String delete = "{\"conn_port\":" + victimPort + "}";
        for (String gateway : List.of(victim, victim + "&gateway=x", victim.toUpperCase(), HostileApiTestBase.OPERATOR)) {
            String query = "?gateway=" + gateway;
            cases.add(HostileRequest.get(Category.OTHER_TENANT, "list " + query, attacker, HostileRequest.PORTMAP + query)
                    .expecting(403));
            cases.add(HostileRequest.get(Category.OTHER_TENANT, "addr " + query, attacker, "/api/1/ipam/addr" + query)
                    .expecting(403));
            cases.add(HostileRequest.post(Category.OTHER_TENANT, "create " + query, attacker, body)
                    .at(HostileRequest.PORTMAP + query).expecting(403));
            cases.add(HostileRequest.delete(Category.OTHER_TENANT, "delete " + query, attacker, delete)
                    .at(HostileRequest.PORTMAP + query).expecting(403));
        }
        cases.add(HostileRequest.delete(Category.OTHER_TENANT, "delete the victim's port as itself", attacker, delete)
                .expecting(404));
        cases.add(new HostileRequest(Category.OTHER_TENANT, "Bearer token, gateway=victim", "DELETE",
                HostileRequest.PORTMAP + "?gateway=" + victim, List.of(Map.entry("Authorization", "Bearer " + attacker),
                        Map.entry("Content-Type", HostileRequest.JSON)), delete.getBytes(StandardCharsets.UTF_8), 403, false, false));
        for (String gateway : List.of(victim + "%7D", "%7B" + victim + "%7D", victim + ".x", "../" + victim, victim + "%00",
                victim + "*", "*", "%2A", "a".repeat(65), "-" + victim, victim + "%20", "%E2%80%AE" + victim)) {
            String query = "?gateway=" + gateway;
            cases.add(HostileRequest.delete(Category.OTHER_TENANT, "delete " + query, attacker, delete)
                    .at(HostileRequest.PORTMAP + query).expecting(400));
        }
    }

    /** An operator may name any gateway, but what it sends is checked as strictly as the owner's. */
    private void operator() {
        String query = "?gateway=" + victim;
        for (String body : List.of(Bodies.with("target_addr", Bodies.string("10.0.0.1")),
                Bodies.with("target_addr", Bodies.string("192.168.1.255")), Bodies.with("target_port", "0"),
                Bodies.with("target_name", Bodies.string("win\n01")), Bodies.without("target_component"), "[]")) {
            cases.add(HostileRequest.post(Category.OPERATOR, "create for the victim " + BodyCorpus.abbreviate(body),
                    operator, body).at(HostileRequest.PORTMAP + query).expecting(400));
        }
        cases.add(HostileRequest.delete(Category.OPERATOR, "delete a port the victim does not have", operator,
                "{\"conn_port\":" + (victimPort == 50000 ? 50001 : 50000) + "}").at(HostileRequest.PORTMAP + query)
                .expecting(404));
        for (String gateway : List.of(victim + ".x", "%7B" + victim + "%7D", "a".repeat(65), "..%2F" + victim)) {
            cases.add(HostileRequest.get(Category.OPERATOR, "list ?gateway=" + gateway, operator,
                    HostileRequest.PORTMAP + "?gateway=" + gateway).expecting(400));
            cases.add(HostileRequest.delete(Category.OPERATOR, "delete ?gateway=" + gateway, operator,
                    "{\"conn_port\":" + victimPort + "}").at(HostileRequest.PORTMAP + "?gateway=" + gateway).expecting(400));
        }
    }

    private void queryParameters() {
        for (String param : List.of("conn_port", "target_port")) {
            for (String value : List.of("abc", "1e3", "99999999999", "", "0x50", "%00", "-", "3389.0", "%E2%80%8B1",
                    "1%201", "9".repeat(400))) {
                cases.add(HostileRequest.get(Category.QUERY_PARAMETERS, param + "=" + value, owner,
                        HostileRequest.PORTMAP + "?" + param + "=" + value).expecting(400));
            }
        }
        for (String query : List.of("name=a&addr=192.168.1.20", "name=a&component=b", "addr=192.168.1.20&component=b",
                "addr=::1", "addr=localhost", "addr=192.168.1.020", "addr=", "addr=192.168.1.20%00", "addr=%2F%2F",
                "name=a&addr=b&component=c")) {
            cases.add(HostileRequest.get(Category.QUERY_PARAMETERS, "addr?" + query, owner, "/api/1/ipam/addr?" + query)
                    .expecting(400));
        }
        for (String key : List.of("", " ", "a b", "k".repeat(256))) {
            cases.add(HostileRequest.post(Category.QUERY_PARAMETERS, "Idempotency-Key '" + BodyCorpus.abbreviate(key) + "'",
                    owner, Bodies.valid()).withHeader("Idempotency-Key", key).expecting(400));
        }
    }
}
