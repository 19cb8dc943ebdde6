package org.vlab.ipam.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.testsupport.TestRedis;

/** api-v1.md's response envelope: the same three keys, content type and help link on every answer, errors included. */
class EnvelopeTests extends LiveApiTestBase {

    static final String PORTMAP = "/api/1/ipam/portmap";

    /** Asserts the envelope of an answer to {@code route} and returns it for further checks. */
    static Answer envelope(Answer answer, int status, String route) {
        assertThat(answer.status()).as(String.valueOf(answer.body())).isEqualTo(status);
        assertThat(fieldNames(answer.body())).containsExactly("error", "content", "params");
        assertThat(answer.body().get("content").isObject()).isTrue();
        assertThat(answer.body().get("params").isObject()).isTrue();
        assertThat(answer.body().get("error").isNull()).isEqualTo(status < 400);
        assertThat(answer.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(answer.headers().get("Link")).contains("<https://vlab.test" + route + "?describe=true>; rel=help");
        return answer;
    }

    @Test
    void a200ListAndItsParams() {
        String user = TestRedis.uniqueName("env");
        Answer answer = envelope(api.get(user, PORTMAP + "?name=win01&target_port=22&conn_port=50001&name=second"), 200, PORTMAP);

        assertThat(answer.body().get("params").properties()).allSatisfy(param -> assertThat(param.getValue().isString()).isTrue());
        assertThat(answer.body().get("params").toString())
                .isEqualTo("{\"name\":\"win01\",\"target_port\":\"22\",\"conn_port\":\"50001\"}");
    }

    @Test
    void a200Create202Pending404And500FromTheAgent() {
        String user = TestRedis.uniqueName("env");
        FakeAgent agent = agent(user);
        int connPort = envelope(api.post(user, target("192.168.1.20", 22, "a", "Linux")), 200, PORTMAP)
                .content().get("conn_port").asInt();
        envelope(api.delete(user, connPort), 200, PORTMAP);
        envelope(api.delete(user, connPort), 404, PORTMAP);
        agent.mode(FakeAgent.Mode.SILENT);
        envelope(api.post(user, target("192.168.1.21", 22, "b", "Linux")), 202, PORTMAP);
        agent.failWith("iptables: Bad rule (does a matching rule exist in that chain?).");
        Answer failed = envelope(api.post(user, target("192.168.1.22", 22, "c", "Linux")), 500, PORTMAP);
        assertThat(failed.error()).isEqualTo("iptables: Bad rule (does a matching rule exist in that chain?).");
    }

    @Test
    void a400EchoesTheParamsItRefused() {
        Answer answer = envelope(api.get(TestRedis.uniqueName("env"), PORTMAP + "?target_port=ssh"), 400, PORTMAP);

        assertThat(answer.body().get("params").get("target_port").asString()).isEqualTo("ssh");
    }

    @Test
    void a401CarriesBothTheAuthorizationAndTheHelpLink() {
        Answer answer = envelope(raw(HttpMethod.GET, PORTMAP + "?name=x", null, null, null, Map.of()), 401, PORTMAP);

        assertThat(answer.error()).isEqualTo("No auth token sent in HTTP header");
        assertThat(answer.headers().get("Link")).contains("<https://vlab.test/api/1/auth>; rel=authorization");
        assertThat(answer.body().get("params").get("name").asString()).isEqualTo("x");
    }

    @Test
    void a403ForAnotherUsersGateway() {
        String user = TestRedis.uniqueName("env");
        Answer answer = envelope(api.get(user, "/api/1/ipam/addr?gateway=someone-else"), 403, "/api/1/ipam/addr");

        assertThat(answer.error()).isEqualTo("user " + user + " does not have access");
    }

    @ParameterizedTest
    @CsvSource({"/api/1/ipam/nothing", "/api/1/ipam/portmap/50001", "/nothing"})
    void a404ForAnUnknownRoute(String route) {
        Answer answer = envelope(api.get(TestRedis.uniqueName("env"), route), 404, route);

        assertThat(answer.error()).isEqualTo("No such route: " + route);
    }

    @Test
    void a405ForAMethodTheRouteDoesNotHave() {
        Answer answer = envelope(api.send(HttpMethod.PUT, PORTMAP, TestRedis.uniqueName("env"), Map.of("conn_port", 50001),
                Map.of()), 405, PORTMAP);

        assertThat(answer.error()).isEqualTo("Method PUT is not allowed on " + PORTMAP);
    }

    @Test
    void a413And415ForBodiesTheApiDoesNotRead() {
        String user = TestRedis.uniqueName("env");
        byte[] big = ("{\"pad\": \"" + "x".repeat(20_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        envelope(raw(HttpMethod.POST, PORTMAP, user, MediaType.APPLICATION_JSON, big, Map.of()), 413, PORTMAP);
        envelope(raw(HttpMethod.POST, PORTMAP, user, MediaType.TEXT_PLAIN, "x".getBytes(StandardCharsets.UTF_8), Map.of()),
                415, PORTMAP);
        envelope(raw(HttpMethod.DELETE, PORTMAP, user, MediaType.APPLICATION_XML, "<a/>".getBytes(StandardCharsets.UTF_8),
                Map.of()), 415, PORTMAP);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"/api/1/ipam/portmap | get_args,post,delete", "/api/1/ipam/addr | get_args",
            "/api/1/ipam/healthcheck | get_args"})
    void describeAnswersTheSchemasWithoutAToken(String route, String keys) {
        Answer answer = envelope(raw(HttpMethod.GET, route + "?describe=true", null, null, null, Map.of()), 200, route);

        assertThat(fieldNames(answer.content())).containsExactly(keys.split(","));
        assertThat(answer.content().get("get_args").get("type").asString()).isEqualTo("object");
        assertThat(answer.body().get("params").get("describe").asString()).isEqualTo("true");
    }

    @Test
    void theHealthcheckAnswers200WithTheVersionWithoutAToken() {
        Answer answer = envelope(raw(HttpMethod.GET, "/api/1/ipam/healthcheck", null, null, null, Map.of()), 200,
                "/api/1/ipam/healthcheck");

        assertThat(answer.content().get("version").asString()).isNotBlank();
    }

    @Test
    void echoesASaneRequestIdAndReplacesAnyOther() {
        String user = TestRedis.uniqueName("env");
        Answer sane = raw(HttpMethod.GET, PORTMAP, user, null, null, Map.of("X-Request-Id", "vlab-cli.42:retry-1"));
        Answer insane = raw(HttpMethod.GET, PORTMAP, user, null, null, Map.of("X-Request-Id", "a b;<script>"));
        Answer none = raw(HttpMethod.GET, "/nothing", null, null, null, Map.of());

        assertThat(sane.headers().getFirst("X-Request-Id")).isEqualTo("vlab-cli.42:retry-1");
        assertThat(insane.headers().getFirst("X-Request-Id")).matches("[0-9a-f-]{36}");
        assertThat(none.headers().getFirst("X-Request-Id")).matches("[0-9a-f-]{36}");
    }
}
