package org.vlab.ipam.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.vlab.ipam.api.auth.TestTokens;
import org.vlab.ipam.testsupport.WithIpamServices;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The OpenAPI description is served without a token and names exactly the routes the API has. */
@WithIpamServices
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "ipam.redis-key-prefix=${ipam.test.redis-key-prefix}", "ipam.auth.dev-secret=" + TestTokens.DEV_SECRET})
class OpenApiDocumentTests {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void describesExactlyTheRoutesAndMethodsTheApiServes() {
        String yaml = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build()
                .get().uri("/openapi.yaml").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode document = new YAMLMapper().readTree(yaml);

        Set<String> described = new TreeSet<>();
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (Set.of("get", "post", "put", "delete", "patch").contains(operation.getKey())) {
                described.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        Set<String> served = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternsCondition().getPatterns().forEach(pattern -> {
            if (pattern.getPatternString().startsWith("/api/1/ipam/")) {
                info.getMethodsCondition().getMethods().forEach(method -> served.add(method + " " + pattern.getPatternString()));
            }
        }));

        assertThat(document.get("openapi").asString()).startsWith("3.1");
        assertThat(served).isNotEmpty();
        assertThat(described).isEqualTo(served);
    }
}
