package org.vlab.ipam.api.portmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vlab.ipam.api.testing.ApiClient.target;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.vlab.ipam.api.testing.ApiClient.Answer;
import org.vlab.ipam.api.testing.FakeAgent;
import org.vlab.ipam.api.testing.LiveApiTestBase;
import org.vlab.ipam.events.PortMapRequested;
import org.vlab.ipam.testsupport.TestRedis;

/** Every refused POST and DELETE body of api-v1.md: the status, a message naming field and rule, and no trace left. */
class PortMapValidationTests extends LiveApiTestBase {

    static final String LONG_NAME = "n".repeat(129);

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of(without("target_addr"), "target_addr is required"),
                Arguments.of(without("target_port"), "target_port is required"),
                Arguments.of(without("target_name"), "target_name is required"),
                Arguments.of(without("target_component"), "target_component is required"),
                Arguments.of(with("target_port", "null"), "target_port is required"),
                Arguments.of(with("target_port", "\"3389\""), "target_port must be an integer"),
                Arguments.of(with("target_port", "3389.5"), "target_port must be an integer"),
                Arguments.of(with("target_addr", "3232235796"), "target_addr must be a string"),
                Arguments.of(with("target_name", "42"), "target_name must be a string"),
                Arguments.of(with("target_component", "[\"Windows\"]"), "target_component must be a string"),
                Arguments.of(with("target_port", "0"), "target_port must be between 1 and 65535"),
                Arguments.of(with("target_port", "65536"), "target_port must be between 1 and 65535"),
                Arguments.of(addr("192.168.1"), "target_addr: not a dotted-quad IPv4 address"),
                Arguments.of(addr("192.168.1.300"), "target_addr: not a dotted-quad IPv4 address"),
                Arguments.of(addr("a.b.c.d"), "target_addr: not a dotted-quad IPv4 address"),
                Arguments.of(addr(" 192.168.1.2"), "target_addr: not a dotted-quad IPv4 address"),
                Arguments.of(addr("127.0.0.1"), "target_addr: 127.0.0.1 is a loopback address"),
                Arguments.of(addr("224.0.0.5"), "target_addr: 224.0.0.5 is a multicast address"),
                Arguments.of(addr("255.255.255.255"), "target_addr: 255.255.255.255 is a broadcast address"),
                Arguments.of(addr("0.0.0.0"), "target_addr: 0.0.0.0 is an unspecified address"),
                Arguments.of(addr("169.254.10.1"), "target_addr: 169.254.10.1 is a link-local address"),
                Arguments.of(addr("192.168.1.255"), "target_addr 192.168.1.255 is the broadcast address of 192.168.1.0/24"),
                Arguments.of(addr("192.168.1.0"), "target_addr 192.168.1.0 is the network address of 192.168.1.0/24"),
                Arguments.of(addr("10.1.2.3"), "target_addr 10.1.2.3 is outside the lab networks of gateway"),
                Arguments.of(with("target_name", "\"\""), "target_name must not be empty"),
                Arguments.of(with("target_name", "\"" + LONG_NAME + "\""), "target_name must be at most 128 characters"),
                Arguments.of(with("target_name", "\"win\\u000101\""), "target_name must not hold control characters"),
                Arguments.of(with("target_component", "\"\""), "target_component must not be empty"),
                Arguments.of(with("target_component", "\"" + LONG_NAME + "\""), "target_component must be at most 128"),
                Arguments.of(with("target_component", "\"Win\\ndows\""), "target_component must not hold control"),
                Arguments.of(with("target_name", "\"win\\ud80001\""),
                        "target_name must not hold lone surrogates or format characters (Unicode Cs, Cf); got 'win\\ud80001'"),
                Arguments.of(with("target_name", "\"\\udc00win01\""), "target_name must not hold lone surrogates"),
                Arguments.of(with("target_name", "\"win\\u200b01\""), "target_name must not hold lone surrogates|\\u200b"),
                Arguments.of(with("target_name", "\"\u202egpj.exe\""), "target_name must not hold lone surrogates|\\u202e"),
                Arguments.of(with("target_component", "\"\\ufeffWindows\""), "target_component must not hold lone surrogates"),
                Arguments.of(with("target_name", "\"win01\", \"target_name\": \"win02\""),
                        "Request body is not valid JSON: key \"target_name\" appears more than once"),
                Arguments.of(with("target_addr", "\"192.168.1.20\", \"target_addr\": \"192.168.1.21\""),
                        "Request body is not valid JSON: key \"target_addr\" appears more than once"),
                Arguments.of("[]", "Request body must be a JSON object"),
                Arguments.of("\"win01\"", "Request body must be a JSON object"),
                Arguments.of("42", "Request body must be a JSON object"),
                Arguments.of("null", "Request body is required"),
                Arguments.of("", "Request body is required"),
                Arguments.of("{\"target_addr\": ", "Request body is not valid JSON"),
                Arguments.of("{'target_addr': '192.168.1.20'}", "Request body is not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void refusesAnInvalidBodyWith400NamingTheRuleAndWritesNothing(String body, String expected) {
        String gateway = TestRedis.uniqueName("val");
        FakeAgent agent = agent(gateway);

        Answer answer = rawJson(HttpMethod.POST, gateway, body);

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.error()).containsSubsequence(expected.split("\\|"));
        assertNothingWritten(gateway);
        assertThat(commandsBefore(gateway, agent)).isEmpty();
    }

    @Test
    void acceptsTheBoundariesOfEveryRule() {
        String gateway = TestRedis.uniqueName("edge");
        agent(gateway);
        String name = "n".repeat(128);

        assertThat(api.post(gateway, target("192.168.1.1", 1, name, name)).status()).isEqualTo(200);
        assertThat(api.post(gateway, target("192.168.1.254", 65535, "Wïn 01 — ü", "Windows")).status()).isEqualTo(200);
    }

    @Test
    void refusesABodyOver16KibWith413AndWritesNothing() {
        String gateway = TestRedis.uniqueName("big");
        FakeAgent agent = agent(gateway);
        String body = with("padding", "\"" + "x".repeat(16 * 1024) + "\"");

        Answer answer = rawJson(HttpMethod.POST, gateway, body);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.error()).contains("16384 bytes");
        assertNothingWritten(gateway);
        assertThat(commandsBefore(gateway, agent)).isEmpty();
    }

    @Test
    void refusesAContentTypeOtherThanJsonWith415AndWritesNothing() {
        String gateway = TestRedis.uniqueName("plain");
        FakeAgent agent = agent(gateway);

        Answer answer = raw(HttpMethod.POST, "/api/1/ipam/portmap", gateway, MediaType.TEXT_PLAIN,
                with("target_port", "22").getBytes(StandardCharsets.UTF_8), Map.of());

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.error()).isEqualTo("Content-Type must be application/json");
        assertNothingWritten(gateway);
        assertThat(commandsBefore(gateway, agent)).isEmpty();
    }

    @Test
    void admitsTheLabNetworksTheAgentReportedInsteadOfTheDefault() {
        String gateway = TestRedis.uniqueName("nets");
        FakeAgent agent = agent(gateway);
        agent.heartbeat("10.7.1.34", "10.9.0.0/16");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                api.get(gateway, "/api/1/ipam/portmap").content().get("gateway_ip").asString()).isEqualTo("10.7.1.34"));

        Answer inside = api.post(gateway, target("10.9.200.7", 22, "far", "Linux"));
        Answer oldDefault = api.post(gateway, target("192.168.1.20", 22, "near", "Linux"));

        assertThat(inside.status()).isEqualTo(200);
        assertThat(oldDefault.status()).isEqualTo(400);
        assertThat(oldDefault.error()).isEqualTo("target_addr 192.168.1.20 is outside the lab networks of gateway "
                + gateway + ": [10.9.0.0/16]");
        assertThat(commandsBefore(gateway, agent, "10.9.0.1")).singleElement().satisfies(command ->
                assertThat(command.target().addr().toString()).isEqualTo("10.9.200.7"));
    }

    static Stream<Arguments> invalidDeleteBodies() {
        return Stream.of(
                Arguments.of("{}", "conn_port is required"),
                Arguments.of("{\"conn_port\": null}", "conn_port is required"),
                Arguments.of("{\"conn_port\": \"abc\"}", "conn_port must be an integer"),
                Arguments.of("{\"conn_port\": \"50001\"}", "conn_port must be an integer"),
                Arguments.of("{\"conn_port\": 50001.5}", "conn_port must be an integer"),
                Arguments.of("{\"conn_port\": 0}", "conn_port must be between 1 and 65535"),
                Arguments.of("[50001]", "Request body must be a JSON object"),
                Arguments.of("{\"conn_port\": 50001, \"conn_port\": 50002}",
                        "Request body is not valid JSON: key \"conn_port\" appears more than once"),
                Arguments.of("{\"conn_port\": ", "Request body is not valid JSON"));
    }

    @ParameterizedTest
    @MethodSource("invalidDeleteBodies")
    void refusesAnInvalidDeleteBodyWith400AndRemovesNothing(String body, String expected) {
        String gateway = TestRedis.uniqueName("del");
        FakeAgent agent = agent(gateway);
        int connPort = api.post(gateway, target("192.168.1.20", 22, "keep", "Linux")).content().get("conn_port").asInt();

        Answer answer = rawJson(HttpMethod.DELETE, gateway, body);

        assertThat(answer.status()).as(answer.body().toString()).isEqualTo(400);
        assertThat(answer.error()).contains(expected);
        assertThat(commandsBefore(gateway, agent)).extracting(PortMapRequested::action)
                .containsExactly(PortMapRequested.Action.CREATE);
        assertThat(api.get(gateway, "/api/1/ipam/portmap?conn_port=" + connPort).content().get("ports")
                .get(Integer.toString(connPort)).get("state").asString()).isEqualTo("applied");
    }

    private static final Map<String, String> VALID = Map.of("target_addr", "\"192.168.1.20\"", "target_port", "3389",
            "target_name", "\"win01\"", "target_component", "\"Windows\"");

    /** The valid body with one field's JSON value replaced (or added). */
    static String with(String field, String json) {
        Map<String, String> fields = new LinkedHashMap<>(VALID);
        fields.put(field, json);
        return render(fields);
    }

    static String without(String field) {
        Map<String, String> fields = new LinkedHashMap<>(VALID);
        fields.remove(field);
        return render(fields);
    }

    static String addr(String addr) {
        return with("target_addr", "\"" + addr + "\"");
    }

    private static String render(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
